// The CodeMirror 6 editor of a demo: Python, line numbers, Tab indents (Esc
// then Tab moves focus on, CodeMirror's own escape hatch), Ctrl/Cmd+Enter
// runs. Its colours are Material's code colours (CSS variables that follow
// the light or dark scheme), so it looks like the code view it replaces and
// like every other code block of the site.

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, HighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  type DecorationSet,
  drawSelection,
  EditorView,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";

export interface EditorOptions {
  parent: HTMLElement;
  doc: string;
  label: string;
  onRun(): void;
  onChange(doc: string): void;
}

const hl = (name: string): string => `var(--md-code-hl-${name}-color)`;

// Material's Pygments colours, by token kind.
const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword], color: hl("keyword") },
  { tag: [tags.string, tags.special(tags.string)], color: hl("string") },
  { tag: [tags.number, tags.bool, tags.null], color: hl("number") },
  { tag: [tags.comment, tags.lineComment], color: hl("comment"), fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: hl("function") },
  { tag: [tags.definition(tags.variableName), tags.className], color: hl("name") },
  { tag: [tags.operator, tags.punctuation, tags.bracket], color: hl("punctuation") },
  { tag: [tags.self, tags.constant(tags.variableName), tags.standard(tags.variableName)], color: hl("constant") },
]);

const theme = EditorView.theme({
  "&": { backgroundColor: "var(--md-code-bg-color)", color: "var(--md-code-fg-color)" },
  ".cm-gutters": {
    backgroundColor: "var(--md-code-bg-color)",
    color: "var(--md-default-fg-color--light)",
    border: "none",
  },
  ".cm-activeLineGutter": { backgroundColor: "transparent", color: "var(--md-code-fg-color)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--md-code-fg-color)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "var(--md-accent-fg-color--transparent, #526cfe1a)",
  },
  ".cm-demo-error": { backgroundColor: "var(--demo-error-bg)" },
});

// The line of the reader's code that raised, marked until the next run.
const setError = StateEffect.define<number | null>();
const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, transaction) {
    let next = marks.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setError)) continue;
      const line = effect.value;
      if (line === null || line < 1 || line > transaction.state.doc.lines) next = Decoration.none;
      else {
        const from = transaction.state.doc.line(line).from;
        next = Decoration.set([Decoration.line({ class: "cm-demo-error", attributes: { "data-demo-error-line": "" } }).range(from)]);
      }
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function createEditor(options: EditorOptions): EditorView {
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
        theme,
        syntaxHighlighting(highlight),
        errorLine,
        EditorView.contentAttributes.of({
          "data-demo-editor": "",
          "aria-label": options.label,
          // Editable content is focusable; saying so lets checkers (axe's
          // scrollable-region-focusable) see the scroller holds a stop.
          tabindex: "0",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return view;
}

export function setDoc(view: EditorView, doc: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: doc } });
}

/** Type `text` where the cursor is, as if the reader had (keys from before the editor loaded). */
export function typeAtCursor(view: EditorView, text: string): void {
  const at = view.state.selection.main.head;
  view.dispatch({
    changes: { from: at, insert: text },
    selection: { anchor: at + text.length },
    scrollIntoView: true,
    userEvent: "input.type",
  });
}

/** Mark the line that raised (1-based), or clear the mark with null. */
export function markError(view: EditorView, line: number | null): void {
  view.dispatch({ effects: setError.of(line) });
}
