//! The rule families: the one list of them, in the order reports list them.

use std::fmt;

use serde::{Serialize, Serializer};

/// Declares [`Family`], its ids and labels, and [`FAMILIES`] from one list.
macro_rules! families {
    ($($(#[$doc:meta])* $variant:ident = $id:literal, $label:literal;)*) => {
        /// A rule family (`metadata.pyward.family`), which groups rules in reports and filters.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Family {
            $($(#[$doc])* $variant,)*
        }

        impl Family {
            /// Every family, in the order reports list them.
            pub const ALL: &'static [Family] = &[$(Family::$variant,)*];

            /// The id written in rule files (`injection`).
            pub const fn id(self) -> &'static str {
                match self {
                    $(Family::$variant => $id,)*
                }
            }

            /// The label reports show (`Injection (SQL, OS command, code)`).
            pub const fn label(self) -> &'static str {
                match self {
                    $(Family::$variant => $label,)*
                }
            }
        }

        /// (id, label) of every family, in the order reports list them.
        pub const FAMILIES: &[(&str, &str)] = &[$(($id, $label),)*];
    };
}

families! {
    Injection = "injection", "Injection (SQL, OS command, code)";
    Deserialization = "deserialization", "Unsafe deserialization";
    Secrets = "secrets", "Hard-coded secrets";
    Configuration = "configuration", "Insecure framework configuration";
    Xss = "xss", "Cross-site scripting and template injection";
    Crypto = "crypto", "Weak cryptography and randomness";
    Tls = "tls", "TLS and certificate verification";
    Network = "network", "Network timeouts and cleartext protocols";
    Xml = "xml", "XML external entities";
    Files = "files", "File system and path handling";
    Jwt = "jwt", "JSON Web Tokens";
    Other = "other", "Error handling and assertions";
    Web = "web", "Web request handling (redirects, headers, server-side requests)";
    /// Dependency files: known vulnerabilities, typosquats, loose ranges, untrusted sources.
    Dependencies = "dependencies", "Dependencies (known vulnerabilities, typosquats, sources)";
    /// A team naming policy (camelCase, `func_` prefix): opt-in, see [`Family::opt_in`].
    Naming = "naming", "Naming policy (opt-in: camelCase names, func_ prefix)";
    /// A rule without a family (user rules, mostly).
    Custom = "custom", "Custom rules";
}

impl Family {
    /// The family with this id.
    pub fn parse(id: &str) -> Option<Family> {
        Family::ALL.iter().copied().find(|f| f.id() == id)
    }

    /// Whether the family's rules are off by default: they run only when a selector names
    /// them (`--select naming`, `--extend-select naming`, the playground's settings). The
    /// naming policy contradicts PEP 8, so it is never on unless asked for.
    pub const fn opt_in(self) -> bool {
        matches!(self, Family::Naming)
    }
}

/// Whether the family with this id is opt-in (see [`Family::opt_in`]); unknown ids are not.
pub fn is_opt_in(id: &str) -> bool {
    Family::parse(id).is_some_and(Family::opt_in)
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Family {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_list_is_the_enum() {
        assert_eq!(FAMILIES.len(), Family::ALL.len());
        for (f, (id, label)) in Family::ALL.iter().zip(FAMILIES) {
            assert_eq!((f.id(), f.label()), (*id, *label));
            assert_eq!(Family::parse(id), Some(*f));
            assert_eq!(serde_json::to_value(f).unwrap(), serde_json::json!(id));
        }
        assert_eq!(FAMILIES.first().map(|f| f.0), Some("injection"));
        assert!(FAMILIES.iter().any(|f| f.0 == "web") && FAMILIES.last().map(|f| f.0) == Some("custom"));
        assert_eq!(Family::parse("Injection"), None, "ids are exact");
    }

    #[test]
    fn only_the_naming_policy_is_opt_in() {
        let opt_in: Vec<&str> = Family::ALL.iter().filter(|f| f.opt_in()).map(|f| f.id()).collect();
        assert_eq!(opt_in, ["naming"]);
        assert!(is_opt_in("naming") && !is_opt_in("injection") && !is_opt_in("no-such-family"));
    }
}
