//! Plain data in and out of the page without serde: the engine worker's messages (JavaScript
//! objects), the requests sent to it, the editor's marks, and the JSON of the settings and of
//! share links (the browser's `JSON.parse` and `JSON.stringify`).
//!
//! Readers and writers are written once over [`Val`], which is `JsValue` in the browser and
//! serde_json's `Value` in the native tests, so the tests run the very code the page runs. (serde's
//! derived deserialisers, with their error messages that format floats, were ~40 KB of the app's
//! wasm; these are a fraction of that.)

/// A JSON-like value.
pub trait Val: Sized {
    /// The field `key` of an object; `None` when absent, `undefined` or `null`.
    fn get(&self, key: &str) -> Option<Self>;
    fn as_text(&self) -> Option<String>;
    fn as_num(&self) -> Option<f64>;
    fn as_flag(&self) -> Option<bool>;
    fn as_items(&self) -> Option<Vec<Self>>;
    fn text(s: &str) -> Self;
    fn num(n: f64) -> Self;
    fn flag(b: bool) -> Self;
    fn items(items: Vec<Self>) -> Self;
    fn object(fields: Vec<(&str, Self)>) -> Self;
}

pub type Res<T> = Result<T, String>;

fn missing(key: &str) -> String {
    format!("missing field `{key}`")
}

fn wrong(key: &str, what: &str) -> String {
    format!("`{key}` is not {what}")
}

/// A required field.
pub fn field<V: Val>(v: &V, key: &str) -> Res<V> {
    v.get(key).ok_or_else(|| missing(key))
}

pub fn text<V: Val>(v: &V, key: &str) -> Res<String> {
    field(v, key)?.as_text().ok_or_else(|| wrong(key, "a string"))
}

/// A string field that may be missing (then `None`).
pub fn opt_text<V: Val>(v: &V, key: &str) -> Res<Option<String>> {
    v.get(key).map(|x| x.as_text().ok_or_else(|| wrong(key, "a string"))).transpose()
}

/// A string field that may be missing (then empty).
pub fn text_or_empty<V: Val>(v: &V, key: &str) -> Res<String> {
    Ok(opt_text(v, key)?.unwrap_or_default())
}

fn to_uint(n: f64, key: &str) -> Res<u64> {
    if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 {
        Ok(n as u64)
    } else {
        Err(wrong(key, "a whole number"))
    }
}

/// A whole number field that fits `T`.
pub fn uint<V: Val, T: TryFrom<u64>>(v: &V, key: &str) -> Res<T> {
    let n = field(v, key)?.as_num().ok_or_else(|| wrong(key, "a number"))?;
    T::try_from(to_uint(n, key)?).map_err(|_| wrong(key, "in range"))
}

pub fn opt_uint<V: Val, T: TryFrom<u64>>(v: &V, key: &str) -> Res<Option<T>> {
    if v.get(key).is_none() {
        return Ok(None);
    }
    uint(v, key).map(Some)
}

/// A whole number field that may be missing (then 0).
pub fn uint_or_zero<V: Val, T: TryFrom<u64> + Default>(v: &V, key: &str) -> Res<T> {
    Ok(opt_uint(v, key)?.unwrap_or_default())
}

/// A number field that may be missing (then 0).
pub fn num_or_zero<V: Val>(v: &V, key: &str) -> Res<f64> {
    v.get(key).map_or(Ok(0.0), |x| x.as_num().ok_or_else(|| wrong(key, "a number")))
}

pub fn flag_or_false<V: Val>(v: &V, key: &str) -> Res<bool> {
    v.get(key).map_or(Ok(false), |x| x.as_flag().ok_or_else(|| wrong(key, "true or false")))
}

/// A list field, each item read by `read`; a missing list is empty.
pub fn list_or_empty<V: Val, T>(v: &V, key: &str, read: impl Fn(&V) -> Res<T>) -> Res<Vec<T>> {
    match v.get(key) {
        None => Ok(Vec::new()),
        Some(x) => x.as_items().ok_or_else(|| wrong(key, "a list"))?.iter().map(|i| read(i).map_err(|e| format!("{key}: {e}"))).collect(),
    }
}

/// A required list field.
pub fn list<V: Val, T>(v: &V, key: &str, read: impl Fn(&V) -> Res<T>) -> Res<Vec<T>> {
    field(v, key)?;
    list_or_empty(v, key, read)
}

/// A list of strings, read as a list item.
pub fn item_text<V: Val>(v: &V) -> Res<String> {
    v.as_text().ok_or_else(|| "not a string".to_string())
}

/// A string list field that may be missing (then empty).
pub fn texts_or_empty<V: Val>(v: &V, key: &str) -> Res<Vec<String>> {
    list_or_empty(v, key, item_text)
}

/// An object field read by `read`, or `None` when missing.
pub fn opt_object<V: Val, T>(v: &V, key: &str, read: impl Fn(&V) -> Res<T>) -> Res<Option<T>> {
    v.get(key).map(|x| read(&x).map_err(|e| format!("{key}: {e}"))).transpose()
}

pub fn texts<V: Val>(items: &[String]) -> V {
    V::items(items.iter().map(|s| V::text(s)).collect())
}

mod js {
    use wasm_bindgen::{JsCast, JsValue};

    impl super::Val for JsValue {
        fn get(&self, key: &str) -> Option<Self> {
            if !self.is_object() {
                return None;
            }
            js_sys::Reflect::get(self, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
        }
        fn as_text(&self) -> Option<String> {
            self.as_string()
        }
        fn as_num(&self) -> Option<f64> {
            self.as_f64()
        }
        fn as_flag(&self) -> Option<bool> {
            self.as_bool()
        }
        fn as_items(&self) -> Option<Vec<Self>> {
            self.dyn_ref::<js_sys::Array>().map(|a| a.iter().collect())
        }
        fn text(s: &str) -> Self {
            JsValue::from_str(s)
        }
        fn num(n: f64) -> Self {
            JsValue::from_f64(n)
        }
        fn flag(b: bool) -> Self {
            JsValue::from_bool(b)
        }
        fn items(items: Vec<Self>) -> Self {
            items.into_iter().collect::<js_sys::Array>().into()
        }
        fn object(fields: Vec<(&str, Self)>) -> Self {
            let o = js_sys::Object::new();
            for (k, v) in fields {
                let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), &v);
            }
            o.into()
        }
    }
}

#[cfg(test)]
mod json {
    use serde_json::{Map, Number, Value};

    impl super::Val for Value {
        fn get(&self, key: &str) -> Option<Self> {
            self.as_object()?.get(key).filter(|v| !v.is_null()).cloned()
        }
        fn as_text(&self) -> Option<String> {
            self.as_str().map(str::to_string)
        }
        fn as_num(&self) -> Option<f64> {
            self.as_f64()
        }
        fn as_flag(&self) -> Option<bool> {
            self.as_bool()
        }
        fn as_items(&self) -> Option<Vec<Self>> {
            self.as_array().cloned()
        }
        fn text(s: &str) -> Self {
            Value::String(s.to_string())
        }
        fn num(n: f64) -> Self {
            // Whole numbers as integers, as JSON.stringify writes them.
            if n.fract() == 0.0 && n.abs() < 9e15 {
                Value::Number(Number::from(n as i64))
            } else {
                Number::from_f64(n).map_or(Value::Null, Value::Number)
            }
        }
        fn flag(b: bool) -> Self {
            Value::Bool(b)
        }
        fn items(items: Vec<Self>) -> Self {
            Value::Array(items)
        }
        fn object(fields: Vec<(&str, Self)>) -> Self {
            Value::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn fields_are_read_with_their_defaults_and_checked() {
        let v = json!({"s": "x", "n": 7, "f": 1.5, "neg": -1, "b": true, "l": ["a", "b"], "null": null});
        assert_eq!(text(&v, "s"), Ok("x".into()));
        assert_eq!(text(&v, "nope"), Err("missing field `nope`".into()));
        assert_eq!(text(&v, "null"), Err("missing field `null`".into()), "null is missing");
        assert_eq!(text(&v, "n"), Err("`n` is not a string".into()));
        assert_eq!(text_or_empty(&v, "nope"), Ok(String::new()));
        assert_eq!(uint::<_, u32>(&v, "n"), Ok(7));
        assert!(uint::<_, u32>(&v, "f").is_err() && uint::<_, u32>(&v, "neg").is_err());
        assert!(uint::<_, u8>(&json!({"big": 300}), "big").is_err());
        assert_eq!(opt_uint::<_, u32>(&v, "nope"), Ok(None));
        assert_eq!(uint_or_zero::<_, usize>(&v, "null"), Ok(0));
        assert_eq!(num_or_zero(&v, "f"), Ok(1.5));
        assert_eq!(flag_or_false(&v, "b"), Ok(true));
        assert_eq!(flag_or_false(&v, "nope"), Ok(false));
        assert_eq!(texts_or_empty(&v, "l"), Ok(vec!["a".to_string(), "b".to_string()]));
        assert_eq!(texts_or_empty(&v, "nope"), Ok(vec![]));
        assert!(list(&v, "nope", item_text).is_err());
        assert!(texts_or_empty(&json!({"l": [1]}), "l").unwrap_err().starts_with("l: "));
    }

    #[test]
    fn values_are_written_as_json_stringify_would() {
        let v: Value = Val::object(vec![("a", Val::num(3.0)), ("b", Val::num(0.5)), ("c", texts(&["x".to_string()])), ("d", Val::flag(false))]);
        assert_eq!(v.to_string(), r#"{"a":3,"b":0.5,"c":["x"],"d":false}"#);
    }
}
