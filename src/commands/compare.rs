//! `confthemes compare`: theme shares, test, distinctive terms and trends between groups.

use crate::analysis::compare::{self, CompareParams};
use crate::cli::CompareArgs;
use crate::error::Result;
use crate::timing::timed;

pub fn run(args: CompareArgs) -> Result<()> {
    let loaded = timed("load", || super::analysis::load_shared(&args.shared))?;
    let (analysis, _taxonomy, _params) = super::analysis::analyze(&loaded, &args.shared)?;
    let params = CompareParams {
        top: args.top,
        seed: args.shared.analysis.seed,
        ..CompareParams::default()
    };
    let comparison = timed("compare", || {
        compare::compare(&loaded.corpus, &analysis, args.by, &params)
    });
    if let Some(warning) = comparison.kinds_warning(args.shared.lang) {
        super::warn(args.shared.lang, &warning);
    }
    let out = timed("render", || {
        if args.json {
            let mut s = serde_json::to_string_pretty(&comparison).expect("comparison serializes");
            s.push('\n');
            s
        } else {
            comparison.render(args.shared.lang, &[])
        }
    });
    super::print(&out)
}
