//! The exported directory: search, show, info, signed-file import and favourites.
//! One-line delegations to [`Core`]; the mirror types here exist because the exported shape
//! differs from the domain's (`launch_uri` added to each action, category names as strings,
//! a favourite's `Debug` redacting the note).

use std::sync::Arc;

use waypoint_format::record::Category;

use super::ApiResult;
use crate::app::Core;
use crate::directory::{self, dial, favourites, Query, Resource, Sort, Update};
use crate::error::Error;

/// What a dial action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum DialKind {
    /// Voice call (`tel:`).
    Call,
    /// Text message (`sms:`); show `keyword` next to the button.
    Text,
    /// TTY call (`tel:`).
    Tty,
    /// WhatsApp (`https://wa.me/`).
    Whatsapp,
    /// Web site or chat (`https:`).
    Web,
    /// E-mail (`mailto:`).
    Email,
}

/// One tappable action; `uri` was validated when the directory was imported.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct DialAction {
    /// What it does.
    pub kind: DialKind,
    /// The exact RFC 3966/5724 URI (`tel:`, `sms:`, `https:`, `mailto:`), e.g.
    /// `tel:988;phone-context=+1`: for display, sharing and export.
    pub uri: String,
    /// What to hand to the system dialer or messages app on a tap (`tel:988`): the phones'
    /// dialers read `;` as "wait", so local numbers drop the context parameter here.
    pub launch_uri: String,
    /// Text for the button.
    pub display: String,
    /// Keyword to send to a text line (shown, not embedded).
    pub keyword: Option<String>,
    /// Works only inside its country (short code or local number).
    pub local_only: bool,
    /// Set when a call may cost more than an ordinary call (the record marks the number
    /// `cost: "premium"`): show it and ask before dialling.
    pub warning: Option<String>,
}

/// A search request. Empty `text` lists everything that passes the filters.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct DirectoryQuery {
    /// Words typed by the user, any language, accents optional, prefixes match.
    pub text: String,
    /// Category wire names (`hotline`, `legal_aid`, ...); any of them. Empty: all.
    pub categories: Vec<String>,
    /// Only services speaking this language (BCP 47).
    pub spoken_language: Option<String>,
    /// Only services open now.
    pub open_now: bool,
    /// Only 24/7 services.
    pub always_open: bool,
    /// Only free services.
    pub free: bool,
    /// ISO 3166 alpha-2 country.
    pub country: Option<String>,
    /// Region within `country` (national services included).
    pub region: Option<String>,
    /// Latitude of the place the user picked.
    pub near_latitude: Option<f64>,
    /// Longitude of the place the user picked.
    pub near_longitude: Option<f64>,
    /// Only within this many km of the place (area-wide services kept).
    pub max_km: Option<f64>,
    /// Nearest first instead of best match first.
    pub sort_by_distance: bool,
    /// Language to answer in (BCP 47), with fallback.
    pub user_language: String,
    /// Most results (0 = 50, at most 500).
    pub limit: u32,
}

/// A resource as shown to the user.
#[derive(Debug, Clone, PartialEq, serde::Serialize, uniffi::Record)]
pub struct DirectoryResource {
    /// Stable id.
    pub id: String,
    /// Service name.
    pub name: String,
    /// Organization.
    pub organization: String,
    /// Description.
    pub description: String,
    /// Language of the texts above.
    pub text_language: String,
    /// Category wire names.
    pub categories: Vec<String>,
    /// Languages spoken.
    pub languages: Vec<String>,
    /// Countries served.
    pub countries: Vec<String>,
    /// Regions served (empty: national).
    pub regions: Vec<String>,
    /// Street addresses.
    pub addresses: Vec<String>,
    /// Tappable actions.
    pub actions: Vec<DialAction>,
    /// Open now; `None` if hours are unknown.
    pub open_now: Option<bool>,
    /// Open 24/7.
    pub always_open: bool,
    /// Free.
    pub free: bool,
    /// Eligibility.
    pub eligibility: String,
    /// Accessibility.
    pub accessibility: String,
    /// Fees detail.
    pub fees: String,
    /// Distance from the chosen place, km.
    pub distance_km: Option<f64>,
    /// Date last checked (`YYYY-MM-DD`).
    pub last_verified: String,
    /// Source of the details.
    pub source: String,
}

/// The installed directory.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DirectoryInfo {
    /// Bundle version.
    pub version: u64,
    /// Created, Unix seconds.
    pub created: i64,
    /// Expires, Unix seconds.
    pub expires: i64,
    /// Past its expiry: still shown, with its age.
    pub stale: bool,
    /// Number of resources.
    pub resources: u64,
    /// `packaged` or `update`.
    pub origin: String,
    /// Hex content hash.
    pub content_hash: String,
    /// Trusted keyset version.
    pub keyset_version: u64,
}

/// Kind of a signed file being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DirectoryFileKind {
    /// Full bundle.
    Bundle,
    /// Delta from the installed version.
    Delta,
    /// Next keyset (rotation).
    Keyset,
}

/// A saved resource with the survivor's private note (sealed in the vault).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct DirectoryFavourite {
    /// Favourite id.
    pub id: String,
    /// Resource id.
    pub resource_id: String,
    /// Private note.
    pub note: String,
    /// Saved at, Unix ms.
    pub added_at_ms: i64,
}

impl std::fmt::Debug for DirectoryFavourite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectoryFavourite")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl From<dial::DialAction> for DialAction {
    fn from(a: dial::DialAction) -> Self {
        DialAction {
            kind: match a.kind {
                dial::ActionKind::Call => DialKind::Call,
                dial::ActionKind::Text => DialKind::Text,
                dial::ActionKind::Tty => DialKind::Tty,
                dial::ActionKind::Whatsapp => DialKind::Whatsapp,
                dial::ActionKind::Web => DialKind::Web,
                dial::ActionKind::Email => DialKind::Email,
            },
            launch_uri: dial::launch_uri(&a.uri),
            uri: a.uri,
            display: a.display,
            keyword: a.keyword,
            local_only: a.local_only,
            warning: a.warning,
        }
    }
}

impl From<Resource> for DirectoryResource {
    fn from(r: Resource) -> Self {
        DirectoryResource {
            id: r.id,
            name: r.name,
            organization: r.organization,
            description: r.description,
            text_language: r.text_language,
            categories: r.categories,
            languages: r.languages,
            countries: r.countries,
            regions: r.regions,
            addresses: r.addresses,
            actions: r.actions.into_iter().map(DialAction::from).collect(),
            open_now: r.open_now,
            always_open: r.always_open,
            free: r.free,
            eligibility: r.eligibility,
            accessibility: r.accessibility,
            fees: r.fees,
            distance_km: r.distance_km,
            last_verified: r.last_verified,
            source: r.source,
        }
    }
}

/// Converts the exported query into the module's, validating names.
pub(crate) fn to_query(q: DirectoryQuery) -> crate::Result<Query> {
    let categories = q
        .categories
        .iter()
        .map(|c| Category::parse(c).ok_or_else(|| Error::invalid("categories", "unknown category")))
        .collect::<crate::Result<Vec<_>>>()?;
    let near = match (q.near_latitude, q.near_longitude) {
        (Some(a), Some(b)) => Some((a, b)),
        (None, None) => None,
        _ => return Err(Error::invalid("near", "give both latitude and longitude")),
    };
    Ok(Query {
        text: q.text,
        categories,
        spoken_language: q.spoken_language,
        open_now: q.open_now,
        always_open: q.always_open,
        free: q.free,
        country: q.country,
        region: q.region,
        near,
        max_km: q.max_km,
        sort: if q.sort_by_distance {
            Sort::Distance
        } else {
            Sort::Relevance
        },
        user_language: q.user_language,
        limit: q.limit,
    })
}

/// The offline directory of one opened data directory.
#[derive(Debug, uniffi::Object)]
pub struct Directory {
    inner: Arc<Core>,
}

impl Directory {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

fn to_info(s: directory::DirectoryStatus) -> DirectoryInfo {
    DirectoryInfo {
        version: s.version,
        created: s.created,
        expires: s.expires,
        stale: s.stale,
        resources: s.resources,
        origin: match s.origin {
            directory::Origin::Packaged => "packaged".into(),
            directory::Origin::Update => "update".into(),
        },
        content_hash: s.content_hash,
        keyset_version: s.keyset_version,
    }
}

#[uniffi::export]
impl Directory {
    /// Searches the offline directory. Works locked: the directory is public data.
    pub fn search(&self, query: DirectoryQuery) -> ApiResult<Vec<DirectoryResource>> {
        let q = to_query(query)?;
        Ok(self
            .inner
            .directory_search(&q)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// One resource with all its details.
    pub fn show(&self, id: String, user_language: String) -> ApiResult<DirectoryResource> {
        Ok(self.inner.directory_show(&id, &user_language)?.into())
    }

    /// The installed directory's version, age and origin.
    pub fn info(&self) -> ApiResult<Option<DirectoryInfo>> {
        Ok(self.inner.directory_info()?.map(to_info))
    }

    /// Imports a signed file (e.g. a bundle shared offline). Verified exactly like a
    /// download; returns the installed version.
    pub fn import_file(&self, kind: DirectoryFileKind, bytes: Vec<u8>) -> ApiResult<u64> {
        let update = match kind {
            DirectoryFileKind::Bundle => Update::Bundle(&bytes),
            DirectoryFileKind::Delta => Update::Delta(&bytes),
            DirectoryFileKind::Keyset => Update::Keyset(&bytes),
        };
        Ok(self.inner.directory_import(update)?)
    }

    /// Saves a resource with a private note (needs the vault unlocked).
    pub fn favourite_add(
        &self,
        resource_id: String,
        note: String,
    ) -> ApiResult<DirectoryFavourite> {
        Ok(to_favourite(
            &self.inner.directory_favourite_add(&resource_id, &note)?,
        ))
    }

    /// Every favourite, newest first (needs the vault unlocked).
    pub fn favourites(&self) -> ApiResult<Vec<DirectoryFavourite>> {
        Ok(self
            .inner
            .directory_favourites()?
            .iter()
            .map(to_favourite)
            .collect())
    }

    /// Replaces a favourite's note.
    pub fn favourite_set_note(&self, id: String, note: String) -> ApiResult<()> {
        Ok(self.inner.directory_favourite_set_note(&id, &note)?)
    }

    /// Deletes a favourite.
    pub fn favourite_remove(&self, id: String) -> ApiResult<()> {
        Ok(self.inner.directory_favourite_remove(&id)?)
    }
}

fn to_favourite(f: &favourites::Favourite) -> DirectoryFavourite {
    DirectoryFavourite {
        id: f.id.clone(),
        resource_id: f.resource_id.clone(),
        note: f.note.clone(),
        added_at_ms: f.added_at_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::super::Waypoint;
    use super::*;
    use crate::platform::FakeClock;

    fn query(text: &str) -> DirectoryQuery {
        DirectoryQuery {
            text: text.into(),
            categories: vec![],
            spoken_language: None,
            open_now: false,
            always_open: false,
            free: false,
            country: None,
            region: None,
            near_latitude: None,
            near_longitude: None,
            max_km: None,
            sort_by_distance: false,
            user_language: "en".into(),
            limit: 0,
        }
    }

    #[test]
    fn status_reports_the_packaged_directory_version() {
        let dir = tempfile::tempdir().expect("tempdir");
        let wp = Waypoint::open(
            dir.path().to_string_lossy().into_owned(),
            Arc::new(FakeClock::new(1_768_402_800_000)),
        )
        .expect("open");
        let info = wp.directory().info().expect("info").expect("installed");
        assert_eq!(
            wp.status().expect("status").directory_version,
            Some(info.version)
        );
        let hits = wp.directory().search(query("trafficking")).expect("search");
        assert!(hits
            .iter()
            .any(|r| r.actions.iter().any(|a| a.uri == "tel:+18883737888")));
    }

    #[test]
    fn bad_query_fields_are_invalid_input() {
        let dir = tempfile::tempdir().expect("tempdir");
        let wp = Waypoint::open(
            dir.path().to_string_lossy().into_owned(),
            Arc::new(FakeClock::new(0)),
        )
        .expect("open");
        let mut q = query("");
        q.categories = vec!["nonsense".into()];
        assert!(matches!(
            wp.directory().search(q),
            Err(crate::ffi::WaypointApiError::InvalidInput { .. })
        ));
        let mut q = query("");
        q.near_latitude = Some(1.0);
        assert!(matches!(
            wp.directory().search(q),
            Err(crate::ffi::WaypointApiError::InvalidInput { .. })
        ));
        assert!(matches!(
            wp.directory()
                .import_file(DirectoryFileKind::Bundle, b"{}".to_vec()),
            Err(crate::ffi::WaypointApiError::Verification { .. })
        ));
        assert!(matches!(
            wp.directory().favourites(),
            Err(crate::ffi::WaypointApiError::Locked)
        ));
    }
}
