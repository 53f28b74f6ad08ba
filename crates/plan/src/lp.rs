//! The integer programs the optimizer solves exactly: small models, through microlp (pure
//! Rust, so the build needs nothing but the Rust toolchain). The model is kept
//! solver-neutral — integer columns with `0 ≤ x ≤ upper`, rows with a lower and/or upper
//! limit — and handed to the solver only to solve, so another solver is one function away.
//! HiGHS was used here until issue 12: it needed cmake and libclang, and every figure of
//! the benchmark came from the Lagrangian method anyway (docs/optimizer.md).

/// Models with more class–offering columns than this go to the Lagrangian method alone.
/// microlp's branch and bound proves small models in milliseconds but, measured on the
/// benchmark's instances, no longer proves anything in 8 s at ~550 columns, where the
/// Lagrangian method is exact or within 0.1 % in under a second (bench/RESULTS.md).
pub(crate) const MIP_COLUMNS_LIMIT: usize = 150;

/// Share of the time limit the MILP may use; the Lagrangian method gets the rest whenever
/// the MILP proved nothing.
pub(crate) const TIME_SHARE: f64 = 0.25;

/// A maximisation over integer columns.
#[derive(Debug, Default)]
pub(crate) struct Model {
    objective: Vec<f64>,
    upper: Vec<f64>,
    rows: Vec<Row>,
}

#[derive(Debug)]
struct Row {
    lower: Option<f64>,
    upper: Option<f64>,
    entries: Vec<(usize, f64)>,
}

/// What a solve found: column values and a proven upper bound on the objective.
pub(crate) struct Solved {
    pub values: Vec<f64>,
    /// `+∞` when the solver proved nothing.
    pub bound: f64,
}

impl Model {
    /// An integer column `0 ≤ x ≤ upper` with this objective coefficient; returns its index.
    pub fn column(&mut self, objective: f64, upper: f64) -> usize {
        self.objective.push(objective);
        self.upper.push(upper);
        self.objective.len() - 1
    }

    /// `Σ entries ≤ upper`.
    pub fn at_most(&mut self, entries: Vec<(usize, f64)>, upper: f64) {
        self.rows.push(Row {
            lower: None,
            upper: Some(upper),
            entries,
        });
    }

    /// `Σ entries ≥ lower`.
    pub fn at_least(&mut self, entries: Vec<(usize, f64)>, lower: f64) {
        self.rows.push(Row {
            lower: Some(lower),
            upper: None,
            entries,
        });
    }

    /// Maximises within `seconds`; `None` when no feasible point was found in time.
    pub fn maximise(&self, seconds: f64) -> Option<Solved> {
        backend::maximise(self, seconds)
    }
}

mod backend {
    use std::time::Duration;

    use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions};

    use super::{Model, Solved};

    pub(super) fn maximise(model: &Model, seconds: f64) -> Option<Solved> {
        let mut pb = Problem::new(OptimizationDirection::Maximize);
        let vars: Vec<_> = model
            .objective
            .iter()
            .zip(&model.upper)
            .map(|(&c, &u)| pb.add_integer_var(c, (0, u.min(f64::from(i32::MAX)) as i32)))
            .collect();
        for row in &model.rows {
            let terms: Vec<_> = row.entries.iter().map(|&(c, a)| (vars[c], a)).collect();
            if let Some(u) = row.upper {
                pb.add_constraint(terms.as_slice(), ComparisonOp::Le, u);
            }
            if let Some(l) = row.lower {
                pb.add_constraint(terms.as_slice(), ComparisonOp::Ge, l);
            }
        }
        let mut options = SolveOptions::default();
        options.time_limit = Some(Duration::from_secs_f64(seconds));
        options.mip_gap = 1e-5;
        let outcome = pb.solve_with(options).ok()?;
        let solution = outcome.solution()?;
        let values = vars.iter().map(|&v| solution.var_value_raw(v)).collect();
        let bound = if outcome.is_optimal() {
            solution.objective()
        } else {
            solution
                .stats()
                .best_bound
                .filter(|b| b.is_finite())
                .unwrap_or(f64::INFINITY)
        };
        Some(Solved { values, bound })
    }
}

#[cfg(test)]
mod tests {
    use super::Model;

    #[test]
    fn a_small_knapsack_is_solved_exactly_with_its_bound() {
        // max 5a + 4b + 3c, 2a + 3b + c ≤ 5, a + b ≤ 1, c ≥ 1, each 0..=2 (a, b) or 0..=1 (c).
        let mut m = Model::default();
        let a = m.column(5.0, 2.0);
        let b = m.column(4.0, 2.0);
        let c = m.column(3.0, 1.0);
        m.at_most(vec![(a, 2.0), (b, 3.0), (c, 1.0)], 5.0);
        m.at_most(vec![(a, 1.0), (b, 1.0)], 1.0);
        m.at_least(vec![(c, 1.0)], 1.0);
        let s = m.maximise(5.0).expect("feasible");
        let round: Vec<f64> = s.values.iter().map(|v| v.round()).collect();
        assert_eq!(round, vec![1.0, 0.0, 1.0]);
        assert!((s.bound - 8.0).abs() < 1e-6, "bound {}", s.bound);
    }
}
