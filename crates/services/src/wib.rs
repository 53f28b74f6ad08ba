//! Western Indonesian Time (WIB, UTC+7), the time of Aceh: the day a due date changes, the hour
//! a reminder goes out — whatever zone the server runs in (pages show times in WIB too).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};

pub fn zone() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).expect("UTC"))
}

/// Today in Aceh.
pub fn today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&zone()).date_naive()
}

/// Unix ms of `hour`:00 WIB on `day`.
pub fn at(day: NaiveDate, hour: u32) -> i64 {
    let t = day.and_hms_opt(hour, 0, 0).unwrap_or_default();
    zone()
        .from_local_datetime(&t)
        .single()
        .map_or_else(|| t.and_utc().timestamp_millis(), |l| l.timestamp_millis())
}

/// The WIB date and time of Unix ms `ms`.
pub fn of(ms: i64) -> DateTime<FixedOffset> {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&zone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_o_clock_wib_is_one_o_clock_utc() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
        let ms = at(day, 8);
        assert_eq!(
            DateTime::from_timestamp_millis(ms)
                .expect("time")
                .to_rfc3339(),
            "2026-12-07T01:00:00+00:00"
        );
        assert_eq!(of(ms).date_naive(), day);
    }
}
