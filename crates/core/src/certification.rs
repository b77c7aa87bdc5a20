//! A held certification's dates: AWS certifications are valid for three years from the day
//! they are earned; a reminder to renew is due six months before that.

use time::{Date, Month};

/// Years a certification stays valid.
pub const VALID_YEARS: i32 = 3;
/// Months before expiry when the reminder to renew is due.
pub const REMIND_MONTHS: i32 = 6;

/// `day` moved by `months` (negative: back), the day of the month kept where the month has it,
/// else the month's last day (31 August − 6 months = 28 or 29 February).
pub fn add_months(day: Date, months: i32) -> Date {
    let index = day.year() * 12 + i32::from(u8::from(day.month())) - 1 + months;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) + 1);
    let month = Month::try_from(month as u8).unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}

/// The day a certification earned on `earned` expires.
pub fn expires(earned: Date) -> Date {
    add_months(earned, VALID_YEARS * 12)
}

/// The day the reminder to renew a certification earned on `earned` is due.
pub fn reminder(earned: Date) -> Date {
    add_months(expires(earned), -REMIND_MONTHS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn three_years_on_and_six_months_before() {
        assert_eq!(expires(date!(2025 - 01 - 15)), date!(2028 - 01 - 15));
        assert_eq!(reminder(date!(2025 - 01 - 15)), date!(2027 - 07 - 15));
        // A leap day ends on the last day of February.
        assert_eq!(expires(date!(2024 - 02 - 29)), date!(2027 - 02 - 28));
        assert_eq!(reminder(date!(2025 - 08 - 31)), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 01 - 31), -1), date!(2025 - 12 - 31));
        assert_eq!(add_months(date!(2026 - 03 - 31), 1), date!(2026 - 04 - 30));
    }
}
