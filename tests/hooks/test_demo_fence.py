"""The `demo` fence: Markdown in, HTML out, and every way an editor can get it wrong."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import markdown
import pytest
from sitekit import SiteError, check_page
from support import ROOT, load_hook

FIXTURES = Path(__file__).with_name("fixtures")
KNOWN = frozenset({"livedemo", "kms_envelope", "inspector_reachability", "flow_logs", "waf_rules"})
EXAMPLES = FIXTURES / "examples"


def render(source: str) -> str:
    """Markdown to HTML through the real hook's fence registration."""
    hook = load_hook("demos")
    config: Any = SimpleNamespace(mdx_configs={"pymdownx.superfences": {}})
    hook.on_config(config)
    md = markdown.Markdown(
        extensions=["pymdownx.superfences"], extension_configs=config.mdx_configs
    )
    return md.convert(source)


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.md")))
def test_markdown_in_html_out(name: str, update_fixtures: bool) -> None:
    html = render((FIXTURES / f"{name}.md").read_text(encoding="utf-8")) + "\n"
    expected = FIXTURES / f"{name}.html"
    if update_fixtures:
        expected.write_text(html, encoding="utf-8")
    assert html == expected.read_text(encoding="utf-8")


def test_widget_has_the_stable_test_hooks() -> None:
    html = render('```demo title="Hello"\nprint("hi")\n```\n')
    for attribute in (
        'data-demo data-demo-state="idle"',
        "data-demo-run",
        "data-demo-stop",
        "data-demo-reset",
        "data-demo-output",
    ):
        assert attribute in html
    assert 'data-demo-packages="livedemo"' in html


def test_code_and_title_are_escaped() -> None:
    html = render('```demo title="<b>x</b>"\nprint("</code><script>alert(1)</script>")\n```\n')
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>" not in html


def test_demo_id_is_sha256_of_the_code() -> None:
    import hashlib

    code = 'print("hi")'
    html = render(f'```demo title="t"\n{code}\n```\n')
    assert f'data-demo-id="{hashlib.sha256(code.encode()).hexdigest()[:12]}"' in html


def check(markdown_text: str) -> list[Any]:
    return check_page(markdown_text, "docs/page.md", known_packages=KNOWN, examples_dir=EXAMPLES)


def error_of(markdown_text: str) -> str:
    with pytest.raises(SiteError) as caught:
        check(markdown_text)
    return str(caught.value)


PREFIX = "# Title\n\nSome text.\n\n"  # the fence opens on line 5


@pytest.mark.parametrize(
    ("fence", "where", "words"),
    [
        (
            '```demo title="t" colour="red"\nx = 1\n```\n',
            "docs/page.md:5",
            "unknown demo option 'colour'",
        ),
        (
            '```demo title="t" packages="nope"\nx = 1\n```\n',
            "docs/page.md:5",
            "unknown demo package 'nope'",
        ),
        ("```demo\nx = 1\n```\n", "docs/page.md:5", "needs a title"),
        ('```demo title="t" height="99"\nx = 1\n```\n', "docs/page.md:5", "height='99'"),
        ('```demo title="t" timeout="soon"\nx = 1\n```\n', "docs/page.md:5", "timeout='soon'"),
        (
            '```demo title="t" input="../etc/passwd"\nx = 1\n```\n',
            "docs/page.md:5",
            "plain file name",
        ),
        ('```demo title="t" extra="agents.json"\nx = 1\n```\n', "docs/page.md:5", "give input="),
        (
            '```demo title="t" input="a.json" extra="a.json"\nx = 1\n```\n',
            "docs/page.md:5",
            "other than input=",
        ),
        ('```demo title="t" file="missing.py"\n```\n', "docs/page.md:5", "no such file"),
        ('```demo title="t" file="../../hookload.py"\n```\n', "docs/page.md:5", "must stay inside"),
        ('```demo title="t" file="ok.py"\nx = 1\n```\n', "docs/page.md:5", "empty body"),
        ('```demo title="t"\n```\n', "docs/page.md:5", "no code"),
        ('```demo title="t"\nx = 1\ndef f(:\n```\n', "docs/page.md:7", "does not compile"),
        ('```demo title="t"\nx = 1\n', "docs/page.md:5", "never closed"),
        ('```demo title="t" title="u"\nx = 1\n```\n', "docs/page.md:5", "given twice"),
    ],
)
def test_bad_fences_name_file_and_line(fence: str, where: str, words: str) -> None:
    message = error_of(PREFIX + fence)
    assert message.startswith(where + ": ")
    assert words in message
    assert "\n" not in message


def test_file_option_reads_the_example() -> None:
    (spec,) = check('```demo title="t" file="ok.py"\n```\n')
    assert spec.code == 'print("from a file")'


def test_fences_inside_other_fences_are_not_demos() -> None:
    text = '````markdown\n```demo title="shown, not run" colour="x"\nx = 1\n```\n````\n'
    assert check(text) == []


def test_packages_are_deduplicated_and_livedemo_first() -> None:
    (spec,) = check('```demo title="t" packages="kms_envelope livedemo kms_envelope"\nx=1\n```\n')
    assert spec.packages == ("livedemo", "kms_envelope")


def test_real_examples_dir_exists_for_file_option() -> None:
    assert (ROOT / "demos").is_dir()
