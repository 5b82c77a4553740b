//! Every string the console shows, in one place (English; the phone core's languages apply
//! to the phone, not to this advocates' tool). Record text is shown as the record holds it.

pub const LANG: &str = "en";
pub const TITLE: &str = "Waypoint directory console";
pub const SKIP: &str = "Skip to content";
pub const NAV_RESOURCES: &str = "Resources";
pub const NAV_IMPORT: &str = "Import";
pub const NAV_DIFF: &str = "Changes";
pub const NAV_PUBLISH: &str = "Publish";
pub const NAV_GUIDES: &str = "Guides";
pub const NAV_AUDIT: &str = "Audit log";
pub const SIGN_OUT: &str = "Sign out";
pub const SIGNED_IN_AS: &str = "Signed in as";

pub const LOGIN_TITLE: &str = "Sign in";
pub const LOGIN_TOKEN: &str = "Advocate token";
pub const LOGIN_HINT: &str =
    "The token an administrator created for you with `waypoint-server advocate add`.";
pub const LOGIN_BUTTON: &str = "Sign in";
pub const LOGIN_FAILED: &str = "That token was not accepted.";
pub const LOGIN_LOCKED: &str = "Too many failed sign-ins for this token; try again in a minute.";

pub const LIST_TITLE: &str = "Resources in the draft";
pub const SEARCH: &str = "Search";
pub const SEARCH_BUTTON: &str = "Search";
pub const FILTER_CATEGORY: &str = "Category";
pub const ALL_CATEGORIES: &str = "All categories";
pub const ADD: &str = "Add a resource";
pub const COL_ID: &str = "Id";
pub const COL_NAME: &str = "Name";
pub const COL_ORG: &str = "Organization";
pub const COL_CATEGORIES: &str = "Categories";
pub const COL_ACTIONS: &str = "Actions";
pub const EDIT: &str = "Edit";
pub const PREVIEW: &str = "Preview";
pub const NONE_FOUND: &str = "No resources match.";
pub const SHOWING: &str = "resources shown";

pub const EDIT_TITLE: &str = "Edit resource";
pub const NEW_TITLE: &str = "New resource";
pub const F_ID: &str = "Id (a-z, 0-9, '.', '_', '-')";
pub const F_NAME: &str = "Service name";
pub const F_ORG: &str = "Organization";
pub const F_DESCRIPTION: &str = "Description";
pub const F_CATEGORIES: &str = "Categories";
pub const F_COUNTRY: &str = "Country (ISO code, e.g. US)";
pub const F_REGION: &str = "Region";
pub const F_ADDRESS: &str = "Street address (leave empty when confidential)";
pub const F_PHONES: &str = "Phones";
pub const F_PHONE_NUMBER: &str = "Number";
pub const F_PHONE_COUNTRY: &str = "Country";
pub const F_PHONE_KIND: &str = "Kind";
pub const F_NEW_PHONE: &str = "Add a phone (leave empty for none)";
pub const F_WEBSITES: &str = "Web sites (https:, one per line)";
pub const F_EMAILS: &str = "E-mail addresses (one per line)";
pub const F_LANGUAGES: &str = "Languages (tags such as en, es, separated by commas)";
pub const F_VERIFIED: &str = "Last verified (YYYY-MM-DD)";
pub const F_SOURCE: &str = "Source";
pub const F_HOURS: &str =
    "Opening hours (24/7, or like Mo-Fr 09:00-17:00; Sa 10:00-14:00; empty for none)";
pub const F_TIMEZONE: &str =
    "Time zone of the hours (a name such as America/New_York, not an offset)";
pub const F_TEXT_LANG: &str = "Text language shown here";
pub const SAVE: &str = "Save to draft";
pub const DELETE: &str = "Delete from draft";
pub const SAVED: &str = "Saved to the draft.";
pub const DELETED: &str = "Deleted from the draft.";
pub const FIX_ERRORS: &str = "Nothing was saved. Fix these fields:";
pub const KEPT_NOTE: &str =
    "Translations, other locations and phone details not shown here are kept as they are.";

pub const PREVIEW_TITLE: &str = "Preview as the phone shows it";
pub const CALL: &str = "Call";
pub const TEXT: &str = "Text";
pub const WHATSAPP: &str = "WhatsApp";
pub const OPEN_24_7: &str = "Open 24 hours, every day";
pub const HOURS_IN: &str = "Hours, in";
pub const NOT_DIALLABLE: &str = "The phone would refuse this number";
pub const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub const IMPORT_TITLE: &str = "Import a directory file";
pub const IMPORT_HELP: &str = "HSDS 3 JSON (nested or linked by id) or a spreadsheet CSV with a header row. Nothing changes unless every record is valid.";
pub const IMPORT_FILE: &str = "File";
pub const IMPORT_MAPPING: &str = "Column mapping for CSV (field=Column, one per line; optional)";
pub const IMPORT_COUNTRY: &str = "Default country (optional)";
pub const IMPORT_TZ: &str = "Default time zone (optional, e.g. America/New_York)";
pub const IMPORT_VERIFIED: &str = "Default last-verified date (optional)";
pub const IMPORT_CHECK_ONLY: &str = "Only check; change nothing";
pub const IMPORT_REPLACE: &str = "Replace the whole draft";
pub const IMPORT_BUTTON: &str = "Check and import";
pub const REPORT_TITLE: &str = "Import report";
pub const REPORT_APPLIED: &str = "Imported into the draft.";
pub const REPORT_CHECKED: &str = "Checked only; nothing changed.";
pub const REPORT_REFUSED: &str = "Nothing was imported: fix the errors below and upload again.";
pub const COL_WHERE: &str = "Where";
pub const COL_FIELD: &str = "Field";
pub const COL_PROBLEM: &str = "Problem";
pub const ERRORS: &str = "Errors";
pub const WARNINGS: &str = "Warnings";
pub const NOT_IMPORTED: &str = "Not imported (the directory has no field for these)";
pub const COL_COUNT: &str = "Records";

pub const DIFF_TITLE: &str = "Draft compared with the published version";
pub const DIFF_NONE: &str = "The draft is the same as the published directory.";
pub const DIFF_NOTHING_PUBLISHED: &str = "Nothing is published yet; every record is new.";
pub const ADDED: &str = "Added";
pub const REMOVED: &str = "Removed";
pub const CHANGED: &str = "Changed";
pub const COL_BEFORE: &str = "Published";
pub const COL_AFTER: &str = "Draft";

pub const PUBLISH_TITLE: &str = "Publish";
pub const PUBLISH_HELP: &str = "Freezing turns the draft into a candidate: the exact bytes of the next version. Each publisher downloads the candidate file and signs it on their own machine with `waypoint-publish sign --candidate FILE --key KEY --pinned-keyset KEYSET --server URL --out SIGS.json`, which verifies the published state and shows every change before it signs. This server never signs. Upload the signature files here; the version is published as soon as every item has enough signatures.";
pub const FREEZE: &str = "Freeze the draft into a candidate";
pub const DOWNLOAD: &str = "Download the candidate file";
pub const UPLOAD_SIG: &str = "Signature file";
pub const UPLOAD_BUTTON: &str = "Upload signatures";
pub const COL_ITEM: &str = "Item";
pub const COL_SIGS: &str = "Signatures";
pub const COL_STATE: &str = "State";
pub const CANDIDATE: &str = "Candidate";
pub const VERSION: &str = "version";
pub const THRESHOLD: &str = "needed";
pub const COMPLETE: &str = "complete";
pub const WAITING: &str = "waiting";
pub const NEXT_MANIFEST: &str = "The bundle is signed. Download the candidate file again and sign the manifest, which names the signed files.";
pub const PUBLISHED_NOW: &str = "Published. Phones will find the new version at their next sync.";
pub const NO_CANDIDATES: &str = "No candidate yet.";

pub const AUDIT_TITLE: &str = "Audit log (newest first)";
pub const COL_WHEN: &str = "When (UTC)";
pub const COL_WHO: &str = "Advocate";
pub const COL_WHAT: &str = "Action";
pub const COL_SUBJECT: &str = "Subject";

pub const FORBIDDEN: &str = "Your role does not allow this.";
pub const NOT_FOUND: &str = "Not found.";
pub const BAD_FORM: &str =
    "The form was stale or came from another site; reload the page and try again.";
pub const UNAVAILABLE: &str = "Storage is unavailable; try again.";
pub const ERROR: &str = "Something went wrong; nothing was changed.";

pub const GUIDES_TITLE: &str = "Know-your-rights guides";
pub const GUIDES_HELP: &str = "Guides written here reach phones signed by the same publishers as the directory. Each save is checked with the phone's rules. A publisher freezes the guides into a candidate; it then appears on the Publish page, where each publisher downloads it, reads every guide in every language in their own tool (waypoint-publish sign), signs, and uploads the signature file.";
pub const GUIDES_NONE: &str = "No guide written yet.";
pub const GUIDE_ADD: &str = "Write a guide";
pub const GUIDES_FREEZE: &str = "Freeze the guides into a candidate";
pub const GUIDE_COL_TITLE: &str = "Title";
pub const GUIDE_COL_LANGUAGES: &str = "Languages";
pub const GUIDE_COL_REVIEWED: &str = "Last reviewed";
pub const GUIDE_NEW_TITLE: &str = "New guide";
pub const GUIDE_EDIT_TITLE: &str = "Edit guide";
pub const GUIDE_F_ID: &str = "Id (pub- then a-z, 0-9 and '-', e.g. pub-unpaid-wages)";
pub const GUIDE_F_REVIEWED: &str = "Last reviewed against its sources (YYYY-MM-DD)";
pub const GUIDE_F_SOURCES: &str = "Sources, one per line: Name | https://address";
pub const GUIDE_FORMAT_HELP: &str = "Write each language as: a first line \"# Title\", a short summary, then sections that start with \"## Heading\". Lines starting with \"- \" are a list. A line \"-> legal_aid hotline\" links a section to kinds of help in the directory; every language must have the same sections with the same links. Leave a language empty to leave it out.";
pub const GUIDE_CATEGORIES: &str = "Kinds of help you can link:";
pub const GUIDE_F_TEXT: &str = "Text";
pub const GUIDE_F_REVIEW: &str = "Translation";
pub const GUIDE_REVIEW_COMPLETE: &str = "Checked by a fluent reader";
pub const GUIDE_REVIEW_NEEDED: &str = "Needs review by a native speaker";
pub const GUIDE_OTHER_LANGUAGE: &str = "Another language (optional)";
pub const GUIDE_F_TAG: &str = "Language tag (e.g. fr, pt-BR)";
pub const GUIDE_SAVE: &str = "Save guide";
pub const GUIDE_DELETE: &str = "Delete guide";
pub const GUIDE_SAVED: &str = "Guide saved.";
pub const GUIDE_DELETED: &str = "Guide deleted.";
pub const GUIDE_REFUSED: &str = "Nothing was saved:";
pub const GUIDE_EXISTS: &str = "a guide with this id already exists";
pub const GUIDE_SOURCE_FORMAT: &str = "write each source as Name | https://address";
pub const NEXT_GUIDES_MANIFEST: &str = "The guides are signed. Download the candidate file again and sign the guides manifest, which names the signed guides file.";
