//! The JSON report: the contract (every field of every finding).

use std::io::Write;

use super::Report;

impl Report {
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    }

    /// Writes the JSON report (and a final line break) to `w` as it is serialised, without
    /// holding the whole text in memory: a report of many findings is tens of megabytes.
    pub fn write_json(&self, w: &mut impl Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut *w, self)?;
        w.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_json_is_the_json_text() {
        let report = Report::new(Vec::new(), &[]);
        let mut out = Vec::new();
        report.write_json(&mut out).expect("writes to memory");
        assert_eq!(
            String::from_utf8(out).expect("UTF-8"),
            report.to_json() + "\n"
        );
    }
}
