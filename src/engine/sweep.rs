//! The arithmetic of a sweep (SPEC §6, `fencheng sweep`): where a condition on a
//! party's total changes along the grid, and the exact boundary between two grid
//! values by bisection. The totals come from a closure, so this module computes
//! nothing of the agreements itself and is tested on plain functions.

/// Decimals a boundary is refined to by bisection.
pub const TARGET_DECIMALS: u32 = 6;

/// The grid positions `i` where the condition changes between value `i` and `i + 1`.
pub fn changes(flags: &[bool]) -> Vec<usize> {
    (0..flags.len().saturating_sub(1))
        .filter(|&i| flags[i] != flags[i + 1])
        .collect()
}

/// Refine between two grid values `lo < hi` (scaled to `d` decimals) where the
/// condition changes: `holds(v, fd)` tells whether it holds at `v` scaled to `fd`
/// decimals. Returns the last value where it holds (when it stops holding) or the
/// first (when it starts), at `fd = max(TARGET_DECIMALS, d)` decimals, and whether it
/// starts holding there.
pub fn bisect<E>(
    lo: i128,
    hi: i128,
    d: u32,
    holds: &mut dyn FnMut(i128, u32) -> Result<bool, E>,
) -> Result<(i128, u32, bool), E> {
    let fd = TARGET_DECIMALS.max(d);
    let up = 10i128.pow(fd - d);
    let (mut a, mut b) = (lo * up, hi * up);
    let starts = !holds(a, fd)?;
    while b - a > 1 {
        let mid = a + (b - a) / 2;
        if holds(mid, fd)? == starts {
            b = mid;
        } else {
            a = mid;
        }
    }
    // `starts`: false at a, true at b → the first value where it holds is b.
    Ok(if starts {
        (b, fd, true)
    } else {
        (a, fd, false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A party's total that rises, then falls (a floor that binds in the middle of the
    /// range, say): total(x) = 100 − |200·x − 100| for x = v / 10^fd, and the
    /// condition "total ≥ 50", i.e. |200·v − 100·10^fd| ≤ 50·10^fd, exactly in
    /// integers: it holds for 0.25 ≤ x ≤ 0.75 only.
    fn at_least_50(v: i128, fd: u32) -> bool {
        let one = 10i128.pow(fd);
        (200 * v - 100 * one).abs() <= 50 * one
    }

    #[test]
    fn a_condition_that_holds_in_the_middle_changes_twice() {
        // Grid 0, 0.1, …, 1.0 (one decimal).
        let grid: Vec<i128> = (0..=10).collect();
        let flags: Vec<bool> = grid.iter().map(|&v| at_least_50(v, 1)).collect();
        // 0.3 .. 0.7 hold (totals 60, 80, 100, 80, 60); 0.2 and 0.8 give 40.
        assert_eq!(changes(&flags), vec![2, 7]);
        let mut holds = |v: i128, fd: u32| Ok::<bool, ()>(at_least_50(v, fd));
        // Between 0.2 and 0.3 it starts holding at exactly 0.25 (total 50).
        assert_eq!(bisect(2, 3, 1, &mut holds), Ok((250_000, 6, true)));
        // Between 0.7 and 0.8 it stops after 0.75.
        assert_eq!(bisect(7, 8, 1, &mut holds), Ok((750_000, 6, false)));
    }

    #[test]
    fn a_monotone_condition_changes_once_and_errors_pass_through() {
        let flags = [false, false, true, true];
        assert_eq!(changes(&flags), vec![1]);
        assert_eq!(changes(&[true]), Vec::<usize>::new());
        assert_eq!(changes(&[]), Vec::<usize>::new());
        let mut failing = |_: i128, _: u32| Err::<bool, &str>("no model");
        assert_eq!(bisect(0, 1, 0, &mut failing), Err("no model"));
    }
}
