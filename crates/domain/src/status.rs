//! The life cycles of the records that have one, each value with the one string form the
//! database and the API use (docs/domain.md names the steps).

string_enum! {
    /// A place in a class or an e-learning course.
    EnrolmentStatus {
        Enrolled = "enrolled",
        Waitlisted = "waitlisted",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}

impl EnrolmentStatus {
    /// Holds a place: the learner may study and the seat is taken.
    pub fn active(self) -> bool {
        matches!(self, EnrolmentStatus::Enrolled | EnrolmentStatus::Completed)
    }
    /// Still cancellable by the learner or the organiser.
    pub fn cancellable(self) -> bool {
        matches!(
            self,
            EnrolmentStatus::Enrolled | EnrolmentStatus::Waitlisted
        )
    }
}

string_enum! {
    /// A scheduled class (*angkatan*): open for enrolment, or closed.
    OfferingStatus {
        Open = "open",
        Closed = "closed",
    }
}

string_enum! {
    /// A learning activity an ASN reports (seminar, coaching, …) and BKPSDM decides on.
    ActivityStatus {
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
    }
}

string_enum! {
    /// An individual development plan (IDP) between the ASN and their head.
    IdpStatus {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        Returned = "returned",
    }
}

string_enum! {
    /// An SKP (performance plan and its evaluation), docs/domain.md#performance.
    SkpStatus {
        Draft = "draft",
        Submitted = "submitted",
        Returned = "returned",
        Evaluated = "evaluated",
        Final = "final",
    }
}

impl SkpStatus {
    /// The ASN may still change targets and results.
    pub fn editable(self) -> bool {
        matches!(self, SkpStatus::Draft | SkpStatus::Returned)
    }
    /// The evaluator may rate it (again, until it is final).
    pub fn evaluable(self) -> bool {
        matches!(self, SkpStatus::Submitted | SkpStatus::Evaluated)
    }
    /// It carries a rating (the distribution counts it).
    pub fn rated(self) -> bool {
        matches!(self, SkpStatus::Evaluated | SkpStatus::Final)
    }
}

string_enum! {
    /// An SKP period: plans and results are written while it is open.
    PeriodStatus {
        Open = "open",
        Closed = "closed",
    }
}

string_enum! {
    /// A training plan from the optimizer: a draft until approved (which enrols).
    PlanStatus {
        Draft = "draft",
        Approved = "approved",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back() {
        fn check<T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr>(
            all: &[T],
            text: fn(T) -> &'static str,
        ) {
            for v in all {
                assert_eq!(text(*v).parse::<T>().ok(), Some(*v));
            }
        }
        check(EnrolmentStatus::ALL, EnrolmentStatus::as_str);
        check(OfferingStatus::ALL, OfferingStatus::as_str);
        check(ActivityStatus::ALL, ActivityStatus::as_str);
        check(IdpStatus::ALL, IdpStatus::as_str);
        check(SkpStatus::ALL, SkpStatus::as_str);
        check(PeriodStatus::ALL, PeriodStatus::as_str);
        check(PlanStatus::ALL, PlanStatus::as_str);
        assert!(SkpStatus::try_from("graded".to_string()).is_err());
    }

    #[test]
    fn steps() {
        use SkpStatus::*;
        let editable: Vec<_> = SkpStatus::ALL.iter().filter(|s| s.editable()).collect();
        assert_eq!(editable, [&Draft, &Returned]);
        let evaluable: Vec<_> = SkpStatus::ALL.iter().filter(|s| s.evaluable()).collect();
        assert_eq!(evaluable, [&Submitted, &Evaluated]);
        assert!(EnrolmentStatus::Completed.active() && !EnrolmentStatus::Waitlisted.active());
        assert!(
            EnrolmentStatus::Waitlisted.cancellable() && !EnrolmentStatus::Completed.cancellable()
        );
    }
}
