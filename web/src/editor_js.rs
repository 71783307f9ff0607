//! The CodeMirror 6 editor, bundled by esbuild from `web/editor/` into `editor.js` beside the
//! app's own module. These are the few calls the app makes into it; positions are UTF-16 offsets.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(raw_module = "./editor.js")]
extern "C" {
    pub type EditorHandle;

    #[wasm_bindgen(js_name = createEditor)]
    pub fn create_editor(parent: &web_sys::Element, doc: &str, on_change: &js_sys::Function, on_cursor: &js_sys::Function) -> EditorHandle;

    #[wasm_bindgen(method, js_name = getDoc)]
    pub fn get_doc(this: &EditorHandle) -> String;
    #[wasm_bindgen(method, js_name = setDoc)]
    pub fn set_doc(this: &EditorHandle, text: &str);
    #[wasm_bindgen(method, js_name = setMarks)]
    pub fn set_marks(this: &EditorHandle, marks: &JsValue);
    #[wasm_bindgen(method, js_name = setTrace)]
    pub fn set_trace(this: &EditorHandle, marks: &JsValue);
    #[wasm_bindgen(method)]
    pub fn select(this: &EditorHandle, from: u32, to: u32);
    /// Selects the range and scrolls the editor (only the editor) to it, without taking the
    /// focus: for a finding opened from the list, whose detail gets the focus.
    #[wasm_bindgen(method)]
    pub fn reveal(this: &EditorHandle, from: u32, to: u32);
    /// Replaces `from..to` with `text`, and makes the `extra` edits (an array of
    /// `[from, to, text]`, in the same offsets) in the same step.
    #[wasm_bindgen(method, js_name = replaceRange)]
    pub fn replace_range(this: &EditorHandle, from: u32, to: u32, text: &str, extra: &JsValue);
    #[wasm_bindgen(method, js_name = setDark)]
    pub fn set_dark(this: &EditorHandle, dark: bool);
    /// The rule workshop's gutter marks: `[{line, pass, title}]`.
    #[wasm_bindgen(method, js_name = setAnnotations)]
    pub fn set_annotations(this: &EditorHandle, marks: &JsValue);
    #[wasm_bindgen(method)]
    pub fn focus(this: &EditorHandle);
    #[wasm_bindgen(method)]
    pub fn destroy(this: &EditorHandle);

    /// The rule workshop's YAML editor.
    pub type RuleEditorHandle;

    #[wasm_bindgen(js_name = createRuleEditor)]
    pub fn create_rule_editor(parent: &web_sys::Element, doc: &str, on_change: &js_sys::Function) -> RuleEditorHandle;
    #[wasm_bindgen(method, js_name = getDoc)]
    pub fn get_doc(this: &RuleEditorHandle) -> String;
    #[wasm_bindgen(method, js_name = setDoc)]
    pub fn set_doc(this: &RuleEditorHandle, text: &str);
    /// Marks a load error at a 1-based line and column (0: the whole line).
    #[wasm_bindgen(method, js_name = setError)]
    pub fn set_error(this: &RuleEditorHandle, line: u32, column: u32, message: &str);
    #[wasm_bindgen(method, js_name = clearError)]
    pub fn clear_error(this: &RuleEditorHandle);
    #[wasm_bindgen(method, js_name = setDark)]
    pub fn set_dark(this: &RuleEditorHandle, dark: bool);
    #[wasm_bindgen(method)]
    pub fn destroy(this: &RuleEditorHandle);
}
