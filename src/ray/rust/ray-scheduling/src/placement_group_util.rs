//! Parsing of placement-group resource names.
//!
//! A placement group reserves resources under derived names:
//! `<resource>_group_<pg_id>` (the *wildcard* resource, all bundles) and
//! `<resource>_group_<bundle_index>_<pg_id>` (the *indexed* resource, one
//! bundle). Ray recognises them with two `std::regex` patterns; this module
//! matches exactly the same strings with a direct scan:
//!
//! * wildcard: `^(.*)_group_([0-9a-f]+)$`
//! * indexed: `^(.+)_group_(\d+)_([0-9a-zA-Z]+)` (matched against the whole name)
//!
//! In both, `.` is ECMAScript's and does not match `\n` or `\r`.

use crate::error::ResourceError;
use crate::scheduling_ids::ResourceId;

const GROUP_INFIX: &str = "_group_";

/// Ray's `PgFormattedResourceData`: the parts of a placement-group resource name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PgFormattedResourceData {
    /// The resource the group reserves, e.g. `CPU`.
    pub original_resource: String,
    /// The bundle index; -1 for the wildcard resource.
    pub bundle_index: i64,
    /// The placement group ID (hex).
    pub group_id: String,
}

/// ECMAScript `.*` over bytes: anything but line terminators.
fn is_dot_match(s: &str) -> bool {
    !s.bytes().any(|b| b == b'\n' || b == b'\r')
}

fn parse_wildcard(resource: &str) -> Option<PgFormattedResourceData> {
    // The group ID cannot contain '_', so only the last "_group_" can match.
    let at = resource.rfind(GROUP_INFIX)?;
    let (original, group_id) = (&resource[..at], &resource[at + GROUP_INFIX.len()..]);
    let hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    if group_id.is_empty() || !group_id.bytes().all(hex) || !is_dot_match(original) {
        return None;
    }
    Some(PgFormattedResourceData {
        original_resource: original.to_owned(),
        bundle_index: -1,
        group_id: group_id.to_owned(),
    })
}

fn parse_indexed(resource: &str) -> Result<Option<PgFormattedResourceData>, ResourceError> {
    // Split off `_<pg_id>`: the ID is alphanumeric, so it follows the last '_'.
    let Some(last_underscore) = resource.rfind('_') else {
        return Ok(None);
    };
    let group_id = &resource[last_underscore + 1..];
    if group_id.is_empty() || !group_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(None);
    }
    // Then `_group_<digits>` right before it.
    let head = &resource[..last_underscore];
    let digits_start = head
        .bytes()
        .rposition(|b| !b.is_ascii_digit())
        .map_or(0, |p| p + 1);
    let digits = &head[digits_start..];
    let Some(original) = head[..digits_start].strip_suffix(GROUP_INFIX) else {
        return Ok(None);
    };
    if digits.is_empty() || original.is_empty() || !is_dot_match(original) {
        return Ok(None);
    }
    // Ray converts with `stoi`, which throws for values beyond `int`.
    let bundle_index = digits
        .parse::<i32>()
        .map_err(|_| ResourceError::BundleIndexOutOfRange(digits.to_owned()))?;
    Ok(Some(PgFormattedResourceData {
        original_resource: original.to_owned(),
        bundle_index: i64::from(bundle_index),
        group_id: group_id.to_owned(),
    }))
}

/// Ray's `ParsePgFormattedResource` as a fallible function: `Ok(None)` if
/// `resource` is not a placement-group resource of the requested kinds; the
/// wildcard form is tried first.
///
/// Errors where Ray fails: neither kind requested (`RAY_CHECK`), or a bundle
/// index beyond `i32` (`stoi` throws `std::out_of_range`).
pub fn try_parse_pg_formatted_resource(
    resource: &str,
    for_wildcard_resource: bool,
    for_indexed_resource: bool,
) -> Result<Option<PgFormattedResourceData>, ResourceError> {
    if !for_wildcard_resource && !for_indexed_resource {
        return Err(ResourceError::NoPgResourceKind);
    }
    if for_wildcard_resource {
        if let Some(data) = parse_wildcard(resource) {
            return Ok(Some(data));
        }
    }
    if for_indexed_resource {
        return parse_indexed(resource);
    }
    Ok(None)
}

/// Ray's `ParsePgFormattedResource`.
///
/// # Panics
///
/// Where Ray aborts: if neither kind is requested, or if the bundle index does
/// not fit in an `i32` (Ray's uncaught `std::out_of_range` terminates).
pub fn parse_pg_formatted_resource(
    resource: &str,
    for_wildcard_resource: bool,
    for_indexed_resource: bool,
) -> Option<PgFormattedResourceData> {
    match try_parse_pg_formatted_resource(resource, for_wildcard_resource, for_indexed_resource) {
        Ok(data) => data,
        Err(e) => panic!("{e}"),
    }
}

/// Ray's `IsCPUOrPlacementGroupCPUResource`: CPU itself, or a wildcard or
/// indexed placement-group resource reserving CPU. A name whose bundle index
/// overflows is treated as not a CPU resource.
pub fn is_cpu_or_placement_group_cpu_resource(resource_id: ResourceId) -> bool {
    if resource_id == ResourceId::CPU {
        return true;
    }
    let cpu = crate::constants::CPU_RESOURCE_LABEL;
    resource_id.with_name(|name| {
        let name = name.unwrap_or(crate::string_id_map::UNKNOWN_ID_NAME);
        matches!(
            try_parse_pg_formatted_resource(name, true, true),
            Ok(Some(data)) if data.original_resource == cpu
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<(String, i64, String)> {
        parse_pg_formatted_resource(s, true, true)
            .map(|d| (d.original_resource, d.bundle_index, d.group_id))
    }

    fn t(a: &str, i: i64, g: &str) -> Option<(String, i64, String)> {
        Some((a.to_owned(), i, g.to_owned()))
    }

    #[test]
    fn wildcard_and_indexed() {
        assert_eq!(parse("CPU_group_4482dec0"), t("CPU", -1, "4482dec0"));
        assert_eq!(parse("CPU_group_0_4482dec0"), t("CPU", 0, "4482dec0"));
        assert_eq!(parse("GPU_group_12_ABCxyz"), t("GPU", 12, "ABCxyz"));
        assert_eq!(parse("CPU"), None);
        assert_eq!(parse("CPU_group_"), None);
        assert_eq!(parse("CPU_group_0_"), None);
    }

    #[test]
    fn regex_edge_cases_measured_from_std_regex() {
        // `(.*)` may be empty for the wildcard form, `(.+)` may not for the indexed form.
        assert_eq!(parse("_group_abc"), t("", -1, "abc"));
        assert_eq!(parse("_group_0_abc"), None);
        assert_eq!(parse("x_group_1_group_2_ab"), t("x_group_1", 2, "ab"));
        assert_eq!(parse("x_group_ab_group_cd"), t("x_group_ab", -1, "cd"));
        assert_eq!(parse("a\nb_group_abc"), None);
        assert_eq!(parse("a\rb_group_abc"), None);
        assert_eq!(parse("\u{e9}_group_ab"), t("\u{e9}", -1, "ab"));
        // Upper-case hex is not a wildcard group ID, and "0_abc" is no hex at all.
        assert_eq!(parse("CPU_group_ABC"), None);
        assert_eq!(parse("CPU_group_007_a"), t("CPU", 7, "a"));
        // "1_abc" is not hex, so only the indexed form matches.
        assert_eq!(parse("CPU_group_1_abc"), t("CPU", 1, "abc"));
        assert_eq!(parse("a\nb_group_0_abc"), None);
        assert_eq!(
            parse_pg_formatted_resource("CPU_group_1_abc", false, true),
            Some(PgFormattedResourceData {
                original_resource: "CPU".into(),
                bundle_index: 1,
                group_id: "abc".into()
            })
        );
    }

    #[test]
    fn kind_selection() {
        assert_eq!(
            parse_pg_formatted_resource("CPU_group_abc", false, true),
            None
        );
        assert_eq!(
            parse_pg_formatted_resource("CPU_group_0_abc", true, false),
            None
        );
        assert!(matches!(
            try_parse_pg_formatted_resource("CPU", false, false),
            Err(ResourceError::NoPgResourceKind)
        ));
    }

    #[test]
    fn bundle_index_range_is_int() {
        assert_eq!(parse("CPU_group_2147483647_a"), t("CPU", 2147483647, "a"));
        assert!(matches!(
            try_parse_pg_formatted_resource("CPU_group_2147483648_a", true, true),
            Err(ResourceError::BundleIndexOutOfRange(_))
        ));
    }

    #[test]
    #[should_panic(expected = "Either one of")]
    fn neither_kind_panics() {
        parse_pg_formatted_resource("CPU", false, false);
    }

    #[test]
    fn cpu_detection() {
        assert!(is_cpu_or_placement_group_cpu_resource(ResourceId::CPU));
        assert!(is_cpu_or_placement_group_cpu_resource(
            ResourceId::from_name("CPU_group_abc")
        ));
        assert!(is_cpu_or_placement_group_cpu_resource(
            ResourceId::from_name("CPU_group_3_abc")
        ));
        assert!(!is_cpu_or_placement_group_cpu_resource(ResourceId::GPU));
        assert!(!is_cpu_or_placement_group_cpu_resource(
            ResourceId::from_name("GPU_group_abc")
        ));
        assert!(!is_cpu_or_placement_group_cpu_resource(
            ResourceId::from_int(123_456)
        ));
    }
}
