//! The canonical encoding of format 2 payloads (docs/PROTOCOL.md §19.2): a header, then
//! the records split into columns ([`S`]), each column a varint length and its values.
//!
//! Hand-written rather than a serde format crate: the record type's serde derive skips
//! empty fields (`skip_serializing_if`) for its JSON form, which a non-self-describing
//! format such as postcard cannot read back, and postcard's decoder accepts over-long
//! varints and unsorted or repeated map keys (keeping the last), so it would not give one
//! encoding per value by itself. The layer is small: unsigned LEB128 varints in their
//! shortest form, zigzag for signed integers, strings as a varint byte length and UTF-8,
//! options and flags as one 0/1 byte, maps as a count and strictly ascending keys, every
//! record field in the schema's order (each in its column). The decoder refuses every other form, and
//! [`decode_bundle`] / [`decode_delta`] finally re-encode what they read and compare it
//! byte for byte, so exactly one byte string decodes to each value.

use std::collections::BTreeMap;

use crate::record::{
    Category, Fees, Location, Opening, Phone, PhoneCost, PhoneKind, Record, Schedule, Text,
};

/// Why a payload was refused (a fixed phrase: nothing from the payload).
pub type DecodeError = &'static str;
type R<T> = std::result::Result<T, DecodeError>;

/// Format number written first in every format 2 payload.
pub const FORMAT: u64 = 2;

/// Longest list or map inside a record the decoder reads (records hold at most 64 of
/// anything; [`Record::validate`] applies the exact rules afterwards).
const LIST_MAX: usize = 1024;

// ---- streams -------------------------------------------------------------------------

/// The columns a payload's records are split into: like values sit together (all ids,
/// all names, all phone numbers, ...), which compresses far better than record after
/// record. Every record field goes to one fixed stream; the order of values inside a
/// stream is the order of records and of fields in [`Record`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(usize)]
pub(crate) enum S {
    /// Counts, flags, option tags, enumerations.
    Shape = 0,
    /// Record ids.
    Id,
    /// Language tags (text map keys and language lists).
    Lang,
    /// Organization names.
    Org,
    /// Service names.
    Name,
    /// Descriptions.
    Desc,
    /// Other text: eligibility, accessibility, fees, location and phone descriptions.
    Text,
    /// Countries, regions, addresses.
    Place,
    /// Coordinates (8 bytes each, IEEE 754 little-endian).
    Coord,
    /// Phone numbers and keywords.
    Phone,
    /// Websites, e-mail addresses, sources.
    Link,
    /// Time zones, weekdays, opening and closing times.
    Time,
    /// `last_verified` dates.
    Date,
}

/// Number of streams.
pub(crate) const STREAMS: usize = 13;

// ---- writer ---------------------------------------------------------------------------

/// Appends canonical values to one byte vector.
#[derive(Default)]
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn uv(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    pub(crate) fn iv(&mut self, v: i64) {
        self.uv(((v << 1) ^ (v >> 63)) as u64);
    }

    pub(crate) fn bytes32(&mut self, b: &[u8; 32]) {
        self.0.extend_from_slice(b);
    }

    fn str(&mut self, s: &str) {
        self.uv(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
}

/// Records written as [`STREAMS`] columns.
struct Columns([Writer; STREAMS]);

impl Columns {
    fn new() -> Self {
        Columns(std::array::from_fn(|_| Writer::default()))
    }

    fn at(&mut self, s: S) -> &mut Writer {
        &mut self.0[s as usize]
    }

    fn n(&mut self, n: usize) {
        self.at(S::Shape).uv(n as u64);
    }

    fn flag(&mut self, b: bool) {
        self.at(S::Shape).0.push(u8::from(b));
    }

    fn str(&mut self, s: S, v: &str) {
        self.at(s).str(v);
    }

    fn strs(&mut self, s: S, v: &[String]) {
        self.n(v.len());
        for x in v {
            self.str(s, x);
        }
    }

    fn opt_str(&mut self, s: S, o: &Option<String>) {
        self.flag(o.is_some());
        if let Some(v) = o {
            self.str(s, v);
        }
    }

    fn opt_f64(&mut self, o: Option<f64>) {
        self.flag(o.is_some());
        if let Some(f) = o {
            self.at(S::Coord).0.extend_from_slice(&f.to_le_bytes());
        }
    }

    fn text(&mut self, values: S, t: &Text) {
        self.n(t.len());
        for (k, v) in t {
            self.str(S::Lang, k);
            self.str(values, v);
        }
    }

    fn schedule(&mut self, s: &Schedule) {
        self.str(S::Time, &s.timezone);
        self.flag(s.always_open);
        self.n(s.weekly.len());
        for o in &s.weekly {
            self.at(S::Time).uv(u64::from(o.weekday));
            self.str(S::Time, &o.opens);
            self.str(S::Time, &o.closes);
        }
    }

    /// One record, every field in the order of [`Record`]'s definition.
    fn record(&mut self, r: &Record) {
        self.str(S::Id, &r.id);
        self.text(S::Org, &r.organization);
        self.text(S::Name, &r.name);
        self.text(S::Desc, &r.description);
        self.n(r.categories.len());
        for c in &r.categories {
            let i = Category::ALL.iter().position(|x| x == c).unwrap_or(0);
            self.at(S::Shape).uv(i as u64);
        }
        self.strs(S::Lang, &r.languages);
        self.n(r.locations.len());
        for l in &r.locations {
            self.text(S::Text, &l.name);
            self.opt_str(S::Place, &l.address);
            self.str(S::Place, &l.country);
            self.opt_str(S::Place, &l.region);
            self.opt_f64(l.latitude);
            self.opt_f64(l.longitude);
        }
        self.n(r.phones.len());
        for p in &r.phones {
            self.str(S::Phone, &p.number);
            self.str(S::Place, &p.country);
            self.at(S::Shape).uv(match p.kind {
                PhoneKind::Voice => 0,
                PhoneKind::Sms => 1,
                PhoneKind::Tty => 2,
                PhoneKind::Whatsapp => 3,
            });
            self.opt_str(S::Phone, &p.keyword);
            self.flag(p.hours.is_some());
            if let Some(h) = &p.hours {
                self.schedule(h);
            }
            self.strs(S::Lang, &p.languages);
            self.text(S::Text, &p.description);
            self.at(S::Shape).uv(match p.cost {
                None => 0,
                Some(PhoneCost::Premium) => 1,
            });
        }
        self.strs(S::Link, &r.websites);
        self.strs(S::Link, &r.emails);
        self.flag(r.schedule.is_some());
        if let Some(s) = &r.schedule {
            self.schedule(s);
        }
        self.text(S::Text, &r.eligibility);
        self.flag(r.fees.free);
        self.text(S::Text, &r.fees.description);
        self.text(S::Text, &r.accessibility);
        self.str(S::Date, &r.last_verified);
        self.str(S::Link, &r.source);
    }

    /// Appends every stream as a varint length and its bytes.
    fn finish(self, out: &mut Writer) {
        for w in self.0 {
            out.uv(w.0.len() as u64);
            out.0.extend_from_slice(&w.0);
        }
    }
}

/// Writes `records` as a count and [`STREAMS`] columns.
fn write_records(out: &mut Writer, records: &[Record]) {
    out.uv(records.len() as u64);
    let mut c = Columns::new();
    for r in records {
        c.record(r);
    }
    c.finish(out);
}

// ---- reader ---------------------------------------------------------------------------

/// Reads canonical values from one byte slice, refusing every non-canonical form.
pub(crate) struct Reader<'a> {
    b: &'a [u8],
    p: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(b: &'a [u8]) -> Self {
        Reader { b, p: 0 }
    }

    fn remaining(&self) -> usize {
        self.b.len() - self.p
    }

    pub(crate) fn position(&self) -> usize {
        self.p
    }

    pub(crate) fn finish(&self) -> R<()> {
        if self.p == self.b.len() {
            Ok(())
        } else {
            Err("trailing bytes after the payload")
        }
    }

    pub(crate) fn byte(&mut self) -> R<u8> {
        let b = *self.b.get(self.p).ok_or("payload ends early")?;
        self.p += 1;
        Ok(b)
    }

    pub(crate) fn take(&mut self, n: usize) -> R<&'a [u8]> {
        if n > self.remaining() {
            return Err("payload ends early");
        }
        let s = &self.b[self.p..self.p + n];
        self.p += n;
        Ok(s)
    }

    pub(crate) fn uv(&mut self) -> R<u64> {
        let mut v: u64 = 0;
        let mut shift = 0u32;
        loop {
            let byte = self.byte()?;
            if shift == 63 && byte > 1 {
                return Err("varint overflows 64 bits");
            }
            v |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 {
                    return Err("varint is not in its shortest form");
                }
                return Ok(v);
            }
            shift += 7;
        }
    }

    pub(crate) fn iv(&mut self) -> R<i64> {
        let u = self.uv()?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    pub(crate) fn bytes32(&mut self) -> R<[u8; 32]> {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.take(32)?);
        Ok(out)
    }

    pub(crate) fn str(&mut self) -> R<String> {
        let n = self.uv()?;
        if n > self.remaining() as u64 {
            return Err("a string is longer than the payload");
        }
        let raw = self.take(n as usize)?;
        std::str::from_utf8(raw)
            .map(str::to_owned)
            .map_err(|_| "a string is not UTF-8")
    }
}

/// Records read back from [`STREAMS`] columns.
struct ColumnsReader<'a>(Vec<Reader<'a>>);

impl<'a> ColumnsReader<'a> {
    fn new(r: &mut Reader<'a>) -> R<Self> {
        let mut v = Vec::with_capacity(STREAMS);
        for _ in 0..STREAMS {
            let n = r.uv()?;
            if n > r.remaining() as u64 {
                return Err("a stream is longer than the payload");
            }
            v.push(Reader::new(r.take(n as usize)?));
        }
        Ok(ColumnsReader(v))
    }

    fn at(&mut self, s: S) -> &mut Reader<'a> {
        &mut self.0[s as usize]
    }

    fn done(&self) -> R<()> {
        if self.0.iter().all(|r| r.remaining() == 0) {
            Ok(())
        } else {
            Err("trailing bytes in a stream")
        }
    }

    fn n(&mut self) -> R<usize> {
        let n = self.at(S::Shape).uv()?;
        if n > LIST_MAX as u64 {
            return Err("a list is longer than allowed");
        }
        Ok(n as usize)
    }

    fn flag(&mut self) -> R<bool> {
        match self.at(S::Shape).byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("a flag or option tag is not 0 or 1"),
        }
    }

    fn str(&mut self, s: S) -> R<String> {
        self.at(s).str()
    }

    fn strs(&mut self, s: S) -> R<Vec<String>> {
        let n = self.n()?;
        (0..n).map(|_| self.str(s)).collect()
    }

    fn opt_str(&mut self, s: S) -> R<Option<String>> {
        Ok(if self.flag()? {
            Some(self.str(s)?)
        } else {
            None
        })
    }

    fn opt_f64(&mut self) -> R<Option<f64>> {
        if !self.flag()? {
            return Ok(None);
        }
        let mut b = [0u8; 8];
        b.copy_from_slice(self.at(S::Coord).take(8)?);
        Ok(Some(f64::from_le_bytes(b)))
    }

    fn text(&mut self, values: S) -> R<Text> {
        let n = self.n()?;
        let mut out = BTreeMap::new();
        let mut last: Option<String> = None;
        for _ in 0..n {
            let k = self.str(S::Lang)?;
            if last.as_ref().is_some_and(|l| l.as_bytes() >= k.as_bytes()) {
                return Err("text map keys are not strictly ascending");
            }
            let v = self.str(values)?;
            last = Some(k.clone());
            out.insert(k, v);
        }
        Ok(out)
    }

    fn small(&mut self, s: S, max: u64) -> R<u64> {
        let v = self.at(s).uv()?;
        if v > max {
            return Err("an enumeration value is out of range");
        }
        Ok(v)
    }

    fn schedule(&mut self) -> R<Schedule> {
        let timezone = self.str(S::Time)?;
        let always_open = self.flag()?;
        let n = self.n()?;
        let mut weekly = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            weekly.push(Opening {
                weekday: self.small(S::Time, 255)? as u8,
                opens: self.str(S::Time)?,
                closes: self.str(S::Time)?,
            });
        }
        Ok(Schedule {
            timezone,
            always_open,
            weekly,
        })
    }

    fn record(&mut self) -> R<Record> {
        let id = self.str(S::Id)?;
        let organization = self.text(S::Org)?;
        let name = self.text(S::Name)?;
        let description = self.text(S::Desc)?;
        let n = self.n()?;
        let mut categories = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let i = self.small(S::Shape, Category::ALL.len() as u64 - 1)?;
            categories.push(Category::ALL[i as usize]);
        }
        let languages = self.strs(S::Lang)?;
        let n = self.n()?;
        let mut locations = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            locations.push(Location {
                name: self.text(S::Text)?,
                address: self.opt_str(S::Place)?,
                country: self.str(S::Place)?,
                region: self.opt_str(S::Place)?,
                latitude: self.opt_f64()?,
                longitude: self.opt_f64()?,
            });
        }
        let n = self.n()?;
        let mut phones = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let number = self.str(S::Phone)?;
            let country = self.str(S::Place)?;
            let kind = match self.small(S::Shape, 3)? {
                0 => PhoneKind::Voice,
                1 => PhoneKind::Sms,
                2 => PhoneKind::Tty,
                _ => PhoneKind::Whatsapp,
            };
            let keyword = self.opt_str(S::Phone)?;
            let hours = if self.flag()? {
                Some(self.schedule()?)
            } else {
                None
            };
            let languages = self.strs(S::Lang)?;
            let description = self.text(S::Text)?;
            let cost = (self.small(S::Shape, 1)? == 1).then_some(PhoneCost::Premium);
            phones.push(Phone {
                number,
                country,
                kind,
                keyword,
                hours,
                languages,
                description,
                cost,
            });
        }
        let websites = self.strs(S::Link)?;
        let emails = self.strs(S::Link)?;
        let schedule = if self.flag()? {
            Some(self.schedule()?)
        } else {
            None
        };
        let eligibility = self.text(S::Text)?;
        let free = self.flag()?;
        let fees = Fees {
            free,
            description: self.text(S::Text)?,
        };
        Ok(Record {
            id,
            organization,
            name,
            description,
            categories,
            languages,
            locations,
            phones,
            websites,
            emails,
            schedule,
            eligibility,
            fees,
            accessibility: self.text(S::Text)?,
            last_verified: self.str(S::Date)?,
            source: self.str(S::Link)?,
        })
    }
}

/// Reads a record count (at most `max`) and the columns holding that many records; every
/// stream must be used up exactly.
fn read_records(r: &mut Reader<'_>, max: usize) -> R<Vec<Record>> {
    let n = r.uv()?;
    if n > max as u64 || n > r.remaining() as u64 {
        return Err("a count is larger than allowed or than the payload");
    }
    let mut c = ColumnsReader::new(r)?;
    let mut records = Vec::with_capacity(n as usize);
    for _ in 0..n {
        records.push(c.record()?);
    }
    c.done()?;
    Ok(records)
}

// ---- payloads -------------------------------------------------------------------------

/// The header fields of a bundle or delta payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// Version the payload brings the client to.
    pub version: u64,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// Expiry, Unix seconds.
    pub expires: i64,
    /// Content hash of the resulting record set (the §6 content hash).
    pub content_hash: [u8; 32],
}

/// A decoded bundle payload.
#[derive(Debug, Clone, PartialEq)]
pub struct BundlePayload {
    /// Version, times, content hash.
    pub header: Header,
    /// Records in strictly ascending byte order of id.
    pub records: Vec<Record>,
}

/// A decoded delta payload.
#[derive(Debug, Clone, PartialEq)]
pub struct DeltaPayload {
    /// Version the delta applies to.
    pub base_version: u64,
    /// Content hash of that base.
    pub base_content_hash: [u8; 32],
    /// Version, times, content hash after applying.
    pub header: Header,
    /// New or changed records, strictly ascending by id.
    pub upserts: Vec<Record>,
    /// Ids removed, strictly ascending.
    pub tombstones: Vec<String>,
}

fn write_header(w: &mut Writer, h: &Header) {
    w.uv(h.version);
    w.iv(h.created);
    w.iv(h.expires);
    w.bytes32(&h.content_hash);
}

fn read_header(r: &mut Reader<'_>) -> R<Header> {
    Ok(Header {
        version: r.uv()?,
        created: r.iv()?,
        expires: r.iv()?,
        content_hash: r.bytes32()?,
    })
}

/// Canonical bytes of a bundle payload. Records must already be in ascending id order
/// (the decoder refuses any other order).
pub fn encode_bundle(p: &BundlePayload) -> Vec<u8> {
    let mut w = Writer::default();
    w.uv(FORMAT);
    write_header(&mut w, &p.header);
    write_records(&mut w, &p.records);
    w.0
}

/// Canonical bytes of a delta payload.
pub fn encode_delta(p: &DeltaPayload) -> Vec<u8> {
    let mut w = Writer::default();
    w.uv(FORMAT);
    w.uv(p.base_version);
    w.bytes32(&p.base_content_hash);
    write_header(&mut w, &p.header);
    write_records(&mut w, &p.upserts);
    w.uv(p.tombstones.len() as u64);
    for t in &p.tombstones {
        w.str(t);
    }
    w.0
}

/// Canonical bytes of one record as a one-record column set (the dictionary is trained
/// on these: the shape of a small delta's payload).
pub fn encode_record(r: &Record) -> Vec<u8> {
    let mut w = Writer::default();
    write_records(&mut w, std::slice::from_ref(r));
    w.0
}

fn read_format(r: &mut Reader<'_>) -> R<()> {
    if r.uv()? != FORMAT {
        return Err("unsupported format version");
    }
    Ok(())
}

fn ascending<S: AsRef<str>>(ids: impl Iterator<Item = S>) -> bool {
    let mut last: Option<S> = None;
    for id in ids {
        if last
            .as_ref()
            .is_some_and(|l| l.as_ref().as_bytes() >= id.as_ref().as_bytes())
        {
            return false;
        }
        last = Some(id);
    }
    true
}

/// Decodes a bundle payload, refusing every non-canonical form.
pub fn decode_bundle(bytes: &[u8], max_records: usize) -> R<BundlePayload> {
    let mut r = Reader::new(bytes);
    read_format(&mut r)?;
    let header = read_header(&mut r)?;
    let records = read_records(&mut r, max_records)?;
    r.finish()?;
    if !ascending(records.iter().map(|r| r.id.as_str())) {
        return Err("records are not in strictly ascending id order");
    }
    let p = BundlePayload { header, records };
    if encode_bundle(&p) != bytes {
        return Err("payload is not in canonical form");
    }
    Ok(p)
}

/// Decodes a delta payload, refusing every non-canonical form.
pub fn decode_delta(bytes: &[u8], max_records: usize) -> R<DeltaPayload> {
    let mut r = Reader::new(bytes);
    read_format(&mut r)?;
    let base_version = r.uv()?;
    let base_content_hash = r.bytes32()?;
    let header = read_header(&mut r)?;
    let upserts = read_records(&mut r, max_records)?;
    let n = r.uv()?;
    if n > max_records as u64 || n > r.remaining() as u64 {
        return Err("a count is larger than allowed or than the payload");
    }
    let mut tombstones = Vec::with_capacity(n as usize);
    for _ in 0..n {
        tombstones.push(r.str()?);
    }
    r.finish()?;
    if !ascending(upserts.iter().map(|r| r.id.as_str())) || !ascending(tombstones.iter()) {
        return Err("upserts or tombstones are not in strictly ascending id order");
    }
    let p = DeltaPayload {
        base_version,
        base_content_hash,
        header,
        upserts,
        tombstones,
    };
    if encode_delta(&p) != bytes {
        return Err("payload is not in canonical form");
    }
    Ok(p)
}
