"""The site's build-time machinery, kept apart from MkDocs' hook files so that
each hook stays a thin list of on_* events over these modules."""

from .csp import inline_script_hashes, policy_for, with_csp
from .errors import SiteError, shown
from .fence import DemoSpec, build_spec, check_page, find_demo_fences, find_fences, parse_options
from .links import Link, anchors_in, check_links, find_links
from .mermaid import Diagram, check_diagrams, find_diagrams
from .packages import DemoPackage, load_demo_packages
from .pages import page_source_name
from .updated import UpdatedBox, check_updated_boxes, find_updated_boxes
from .vendor import PYODIDE_CORE, VendorBundle, find_vendor_files
from .wheels import Wheel, build_demo_wheel, describe_wheel, source_digest
from .widget import render_widget

__all__ = [
    "PYODIDE_CORE",
    "DemoPackage",
    "DemoSpec",
    "Diagram",
    "Link",
    "SiteError",
    "UpdatedBox",
    "VendorBundle",
    "Wheel",
    "anchors_in",
    "build_demo_wheel",
    "build_spec",
    "check_diagrams",
    "check_links",
    "check_page",
    "check_updated_boxes",
    "describe_wheel",
    "find_demo_fences",
    "find_diagrams",
    "find_fences",
    "find_links",
    "find_updated_boxes",
    "find_vendor_files",
    "inline_script_hashes",
    "load_demo_packages",
    "page_source_name",
    "parse_options",
    "policy_for",
    "render_widget",
    "shown",
    "source_digest",
    "with_csp",
]
