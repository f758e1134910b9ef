// The CodeMirror 6 editor of a demo: Python, line numbers, Material's light or
// dark scheme, Tab indents (Esc then Tab moves focus on, CodeMirror's own
// escape hatch), Ctrl/Cmd+Enter runs.

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { Compartment, EditorState, Prec } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import {
  drawSelection,
  EditorView,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  label: string;
  onRun(): void;
  onChange(doc: string): void;
}

const scheme = new Compartment();
const views = new Set<EditorView>();

function isDark(): boolean {
  return document.body.getAttribute("data-md-color-scheme") === "slate";
}

// Light: Material's own code colours (its CSS variables), so the editor looks
// like the code blocks around it.
const light = [
  EditorView.theme({
    "&": { backgroundColor: "var(--md-code-bg-color, #f5f5f5)", color: "var(--md-code-fg-color, #36464e)" },
    ".cm-gutters": { backgroundColor: "var(--md-code-bg-color, #f5f5f5)", border: "none" },
  }),
  syntaxHighlighting(defaultHighlightStyle),
];

function themeFor(dark: boolean): typeof light | typeof oneDark {
  return dark ? oneDark : light;
}

let observer: MutationObserver | null = null;

function followScheme(): void {
  if (observer) return;
  // Material's palette toggle changes this attribute on <body>; <body> itself
  // survives instant navigation, so one observer serves every page.
  observer = new MutationObserver(() => {
    const extension = themeFor(isDark());
    for (const view of [...views]) {
      if (!view.dom.isConnected) {
        views.delete(view);
        view.destroy();
        continue;
      }
      view.dispatch({ effects: scheme.reconfigure(extension) });
    }
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
}

export function createEditor(options: EditorOptions): EditorView {
  followScheme();
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        Prec.highest(
          keymap.of([
            {
              key: "Mod-Enter",
              run: () => {
                options.onRun();
                return true;
              },
            },
          ]),
        ),
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        indentUnit.of("    "),
        bracketMatching(),
        closeBrackets(),
        python(),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        scheme.of(themeFor(isDark())),
        EditorView.contentAttributes.of({
          "data-demo-editor": "",
          "aria-label": options.label,
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  views.add(view);
  return view;
}

export function setDoc(view: EditorView, doc: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
}
