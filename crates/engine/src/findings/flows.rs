//! One flaw, one finding: a taint flow that runs on through the sink of another flow of the
//! same rule, from the same source, is the same flaw seen again further down. For example
//! `html = mark_safe("<b>" + name + "</b>")` followed by `return HttpResponse(html)`: the
//! value is already unsafe HTML at `mark_safe`, which is where the user must act, so only that
//! finding is kept (its trace shows the rest of the flow's start).

use std::collections::HashMap;

use super::Finding;

/// At most this many lines of a sink are indexed (a sink spanning more lines still counts
/// for its first ones), so the index stays linear in the number of findings.
const MAX_SINK_LINES: u32 = 64;

/// Keeps, for each flow, only the first finding: returns `keep[i] == false` for a flow
/// finding `i` whose trace passes (after its source) through a line of an earlier flow
/// finding's sink, for the same rule and the same source. Each finding comes with whether it
/// is a taint flow; pattern findings are always kept.
pub fn first_of_each_flow<'a>(findings: impl Iterator<Item = (&'a Finding, bool)> + Clone) -> Vec<bool> {
    // (rule, source start, line) -> the smallest start offset of a sink on that line.
    let mut sinks: HashMap<(&str, u32, u32), u32> = HashMap::new();
    for (f, _) in findings.clone().filter(|(_, flow)| *flow) {
        let Some(source) = f.trace.first() else { continue };
        let last = f.end_line.min(f.line.saturating_add(MAX_SINK_LINES - 1));
        for line in f.line..=last {
            let e = sinks.entry((f.rule_id.as_str(), source.start_offset, line)).or_insert(f.start_offset);
            *e = (*e).min(f.start_offset);
        }
    }
    findings
        .map(|(f, flow)| {
            if !flow {
                return true;
            }
            let Some((source, rest)) = f.trace.split_first() else { return true };
            // The steps between the source and this finding's own sink step.
            let through = rest.split_last().map_or(&[][..], |(_, mid)| mid);
            !through.iter().any(|step| {
                sinks
                    .get(&(f.rule_id.as_str(), source.start_offset, step.line))
                    .is_some_and(|&start| start < f.start_offset)
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::{Engine, Options};

    fn lines(src: &str) -> Vec<u32> {
        let engine = Engine::builtin().expect("built-in rules load");
        let r = engine.check_source("t.py", src, &Options::default());
        r.findings.iter().filter(|f| !f.trace.is_empty()).map(|f| f.line).collect()
    }

    #[test]
    fn a_flow_through_an_earlier_sink_is_one_finding_and_separate_sinks_are_two() {
        let head = "import os\nfrom flask import request\ndef r():\n    q = request.args['q']\n";
        // The second sink's value comes out of the first sink's statement: one flaw.
        let through = lines(&format!("{head}    out = os.popen(q)\n    os.system(out.read())\n"));
        assert_eq!(through, vec![5], "{through:?}");
        // Two sinks fed from the source separately: two flaws.
        let separate = lines(&format!("{head}    os.popen(q)\n    os.system(q)\n"));
        assert_eq!(separate, vec![5, 6], "{separate:?}");
        // A source on the sink's own line does not make the finding drop itself.
        let one_line = lines("import os\nfrom flask import request\ndef r():\n    os.system(request.args['q'])\n");
        assert_eq!(one_line, vec![4], "{one_line:?}");
    }

    /// (line, rule) of every finding.
    fn all(src: &str) -> Vec<(u32, String)> {
        let engine = Engine::builtin().expect("built-in rules load");
        engine.check_source("t.py", src, &Options::default()).findings.into_iter().map(|f| (f.line, f.rule_id)).collect()
    }

    #[test]
    fn a_flow_from_a_flagged_source_replaces_the_pattern_finding_there() {
        let head = "import random
from flask import session

def login():
";
        // The name-based rule flags the `random` call; the flow to the session is the same
        // flaw: one finding, the flow's, at the session.
        let f = all(&format!("{head}    token = str(random.random())
    session['token'] = token
"));
        assert_eq!(f, vec![(6, "weak-random-secret".to_string())], "{f:?}");
        // On one line: one finding.
        let f = all(&format!("{head}    session['token'] = str(random.random())
"));
        assert_eq!(f, vec![(5, "weak-random-secret".to_string())], "{f:?}");
        // Made in a helper, stored by a function that reads no source itself.
        let helper = "import random\nfrom flask import session\n\ndef make_token():\n    return str(random.random())\n\ndef login():\n    session['token'] = make_token()\n";
        let f = all(helper);
        assert_eq!(f, vec![(8, "weak-random-secret".to_string())], "{f:?}");
        // A value that reaches no secret (printing is not using it as one): the name-based
        // rule still reports it.
        let f = all(&format!("{head}    token = str(random.random())\n    print(token)\n"));
        assert_eq!(f, vec![(5, "insecure-random-for-secrets".to_string())], "{f:?}");
    }
}
