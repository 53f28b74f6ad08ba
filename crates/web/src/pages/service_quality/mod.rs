//! Public-service quality pages: the citizens' survey (public, phone-first), the IKM of the
//! units with its chart and table, one unit's unsur, comments and complaints, and the
//! complaint register with its steps (docs/domain.md#service-quality).

mod complaints;
mod ikm;
mod survey;

pub use complaints::{complaint, complaint_step, complaints_page, create_complaint};
pub use ikm::{overview, poster, report, set_population, unit};
pub use survey::{survey_form, survey_submit};

fn blank(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}
