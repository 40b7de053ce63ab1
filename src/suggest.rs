//! "Did you mean": the closest known name to a misspelt one, by edit distance.

/// Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a plausible distance (a third of the length, at least 2).
pub fn closest<'a, I, S>(text: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + 'a + ?Sized,
{
    let limit = (text.chars().count() / 3).max(2);
    let mut best: Option<(usize, String)> = None;
    for c in candidates {
        let c = c.as_ref();
        let d = distance(text, c);
        if d <= limit
            && best
                .as_ref()
                .is_none_or(|(bd, bc)| d < *bd || (d == *bd && c < bc.as_str()))
        {
            best = Some((d, c.to_string()));
        }
    }
    best.map(|(_, c)| c)
}

/// `"; did you mean 'x'?"` or nothing.
pub fn hint<'a, I, S>(text: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + 'a + ?Sized,
{
    if text.is_empty() {
        return String::new();
    }
    closest(text, candidates).map_or(String::new(), |c| crate::msg!("E0002", name = c).text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest() {
        assert_eq!(
            closest("cheng_a", ["cheng-a", "gaozhu"].iter()),
            Some("cheng-a".into())
        );
        assert_eq!(
            closest("shars", ["shares", "metrics", "cap"].iter()),
            Some("shares".into())
        );
        assert_eq!(closest("xyz", ["shares"].iter()), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
