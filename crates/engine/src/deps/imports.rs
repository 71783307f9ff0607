//! The typosquat check on the imports of the scanned Python files: a top-level import that no
//! declared dependency provides, is not in the standard library and is not a module of the
//! project itself is mapped to its package name (`yaml` -> `pyyaml`, `bs4` ->
//! `beautifulsoup4`) and checked like a requirement: `import reqeusts` names `requests`.

use std::collections::HashSet;

use crate::syntax::ast::{Span, StmtKind};
use crate::syntax::parse;

/// The standard library's top-level modules (`data/stdlib.txt`).
const STDLIB: &str = include_str!("../../data/stdlib.txt");

/// Import names whose package has another name (import name, PyPI package).
pub const IMPORT_PACKAGES: &[(&str, &str)] = &[
    ("attr", "attrs"),
    ("bs4", "beautifulsoup4"),
    ("cv2", "opencv-python"),
    ("crypto", "pycryptodome"),
    ("dateutil", "python-dateutil"),
    ("dns", "dnspython"),
    ("docx", "python-docx"),
    ("dotenv", "python-dotenv"),
    ("fitz", "pymupdf"),
    ("gi", "pygobject"),
    ("git", "gitpython"),
    ("google", "protobuf"),
    ("grpc", "grpcio"),
    ("jose", "python-jose"),
    ("jwt", "pyjwt"),
    ("kafka", "kafka-python"),
    ("ldap", "python-ldap"),
    ("magic", "python-magic"),
    ("mpl-toolkits", "matplotlib"),
    ("multipart", "python-multipart"),
    ("mysqldb", "mysqlclient"),
    ("nacl", "pynacl"),
    ("openssl", "pyopenssl"),
    ("pil", "pillow"),
    ("pkg-resources", "setuptools"),
    ("pptx", "python-pptx"),
    ("psycopg2", "psycopg2-binary"),
    ("serial", "pyserial"),
    ("skimage", "scikit-image"),
    ("sklearn", "scikit-learn"),
    ("slugify", "python-slugify"),
    ("socks", "pysocks"),
    ("telegram", "python-telegram-bot"),
    ("usb", "pyusb"),
    ("websocket", "websocket-client"),
    ("win32api", "pywin32"),
    ("yaml", "pyyaml"),
    ("zmq", "pyzmq"),
];

/// A module-level import of a top-level name (`import a.b` and `from a.b import c` give `a`),
/// with the span of the import alias or statement.
#[derive(Clone, Debug, PartialEq)]
pub struct TopImport {
    pub module: String,
    pub span: Span,
}

/// The absolute module-level imports of a Python source (nested ones are rarer and the same
/// packages; relative imports are the project's own).
pub fn top_level_imports(src: &str) -> Vec<TopImport> {
    let parsed = parse::parse_module(src);
    let mut out = Vec::new();
    for s in &parsed.module.body {
        match &s.kind {
            StmtKind::Import(names) => {
                out.extend(names.iter().map(|a| TopImport { module: root(&a.name).to_string(), span: a.span }));
            }
            StmtKind::ImportFrom { module: Some(m), level: 0, .. } => out.push(TopImport { module: root(m).to_string(), span: s.span }),
            _ => {}
        }
    }
    out
}

fn root(dotted: &str) -> &str {
    dotted.split('.').next().unwrap_or(dotted)
}

/// Whether `module` is a standard-library module.
pub fn is_stdlib(module: &str) -> bool {
    module.starts_with('_') || STDLIB.lines().any(|l| l == module)
}

/// The PyPI package (normalised) that provides the top-level module `module`.
pub fn package_of(module: &str) -> String {
    let n = super::normalize(module);
    IMPORT_PACKAGES.iter().find(|(i, _)| *i == n).map_or(n, |(_, p)| p.to_string())
}

/// The imports that need checking: not standard library, not a module of the project
/// (`local`: the project's top-level module and package names), and not provided by a
/// declared dependency (`declared`: normalised names); each with its package name.
pub fn undeclared<'a>(imports: &'a [TopImport], local: &HashSet<String>, declared: &HashSet<String>) -> Vec<(&'a TopImport, String)> {
    imports
        .iter()
        .filter(|i| !is_stdlib(&i.module) && !local.contains(&i.module))
        .map(|i| (i, package_of(&i.module)))
        .filter(|(i, p)| !declared.contains(p) && !declared.contains(&super::normalize(&i.module)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_undeclared_third_party_imports() {
        let src = "import os, yaml\nfrom bs4 import BeautifulSoup\nimport reqeusts\nfrom . import local\nimport mypkg.sub\nfrom flask import Flask\n";
        let imports = top_level_imports(src);
        let modules: Vec<&str> = imports.iter().map(|i| i.module.as_str()).collect();
        assert_eq!(modules, ["os", "yaml", "bs4", "reqeusts", "mypkg", "flask"]);
        let local: HashSet<String> = ["mypkg".to_string()].into();
        let declared: HashSet<String> = ["flask".to_string(), "pyyaml".to_string()].into();
        let left: Vec<(&str, String)> = undeclared(&imports, &local, &declared).into_iter().map(|(i, p)| (i.module.as_str(), p)).collect();
        assert_eq!(left, [("bs4", "beautifulsoup4".to_string()), ("reqeusts", "reqeusts".to_string())]);
        assert!(src[imports[3].span.start as usize..].starts_with("reqeusts"));
    }
}
