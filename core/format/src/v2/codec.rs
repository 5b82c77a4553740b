//! The canonical encoding of format 2 payloads (docs/PROTOCOL.md §19.2).
//!
//! Hand-written rather than a serde format crate: the record type's serde derive skips
//! empty fields (`skip_serializing_if`) for its JSON form, which a non-self-describing
//! format such as postcard cannot read back, and postcard's decoder accepts over-long
//! varints and unsorted or repeated map keys (keeping the last), so it would not give one
//! encoding per value by itself. The layer is small: unsigned LEB128 varints in their
//! shortest form, zigzag for signed integers, strings as a varint byte length and UTF-8,
//! options and flags as one 0/1 byte, maps as a count and strictly ascending keys, every
//! record field in the schema's order. The decoder refuses every other form, and
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

// ---- writer ---------------------------------------------------------------------------

/// Appends canonical values to a byte vector.
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

    fn flag(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }

    fn strs(&mut self, v: &[String]) {
        self.uv(v.len() as u64);
        for s in v {
            self.str(s);
        }
    }

    fn opt_str(&mut self, o: &Option<String>) {
        match o {
            None => self.flag(false),
            Some(s) => {
                self.flag(true);
                self.str(s);
            }
        }
    }

    fn opt_f64(&mut self, o: Option<f64>) {
        match o {
            None => self.flag(false),
            Some(f) => {
                self.flag(true);
                self.0.extend_from_slice(&f.to_le_bytes());
            }
        }
    }

    fn text(&mut self, t: &Text) {
        self.uv(t.len() as u64);
        for (k, v) in t {
            self.str(k);
            self.str(v);
        }
    }

    fn schedule(&mut self, s: &Schedule) {
        self.str(&s.timezone);
        self.flag(s.always_open);
        self.uv(s.weekly.len() as u64);
        for o in &s.weekly {
            self.uv(u64::from(o.weekday));
            self.str(&o.opens);
            self.str(&o.closes);
        }
    }

    /// One record, every field in the order of [`Record`]'s definition.
    pub(crate) fn record(&mut self, r: &Record) {
        self.str(&r.id);
        self.text(&r.organization);
        self.text(&r.name);
        self.text(&r.description);
        self.uv(r.categories.len() as u64);
        for c in &r.categories {
            let i = Category::ALL.iter().position(|x| x == c).unwrap_or(0);
            self.uv(i as u64);
        }
        self.strs(&r.languages);
        self.uv(r.locations.len() as u64);
        for l in &r.locations {
            self.text(&l.name);
            self.opt_str(&l.address);
            self.str(&l.country);
            self.opt_str(&l.region);
            self.opt_f64(l.latitude);
            self.opt_f64(l.longitude);
        }
        self.uv(r.phones.len() as u64);
        for p in &r.phones {
            self.str(&p.number);
            self.str(&p.country);
            self.uv(match p.kind {
                PhoneKind::Voice => 0,
                PhoneKind::Sms => 1,
                PhoneKind::Tty => 2,
                PhoneKind::Whatsapp => 3,
            });
            self.opt_str(&p.keyword);
            match &p.hours {
                None => self.flag(false),
                Some(h) => {
                    self.flag(true);
                    self.schedule(h);
                }
            }
            self.strs(&p.languages);
            self.text(&p.description);
            self.uv(match p.cost {
                None => 0,
                Some(PhoneCost::Premium) => 1,
            });
        }
        self.strs(&r.websites);
        self.strs(&r.emails);
        match &r.schedule {
            None => self.flag(false),
            Some(s) => {
                self.flag(true);
                self.schedule(s);
            }
        }
        self.text(&r.eligibility);
        self.flag(r.fees.free);
        self.text(&r.fees.description);
        self.text(&r.accessibility);
        self.str(&r.last_verified);
        self.str(&r.source);
    }
}

// ---- reader ---------------------------------------------------------------------------

/// Reads canonical values, refusing every non-canonical form.
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

    /// A count of items, each taking at least one byte: never more than what is left, so
    /// a hostile count cannot make a large allocation.
    pub(crate) fn count(&mut self, max: usize) -> R<usize> {
        let n = self.uv()?;
        if n > max as u64 || n > self.remaining() as u64 {
            return Err("a count is larger than allowed or than the payload");
        }
        Ok(n as usize)
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

    fn flag(&mut self) -> R<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("a flag or option tag is not 0 or 1"),
        }
    }

    fn strs(&mut self) -> R<Vec<String>> {
        let n = self.count(LIST_MAX)?;
        (0..n).map(|_| self.str()).collect()
    }

    fn opt_str(&mut self) -> R<Option<String>> {
        Ok(if self.flag()? {
            Some(self.str()?)
        } else {
            None
        })
    }

    fn opt_f64(&mut self) -> R<Option<f64>> {
        if !self.flag()? {
            return Ok(None);
        }
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(Some(f64::from_le_bytes(b)))
    }

    fn text(&mut self) -> R<Text> {
        let n = self.count(LIST_MAX)?;
        let mut out = BTreeMap::new();
        let mut last: Option<String> = None;
        for _ in 0..n {
            let k = self.str()?;
            if last.as_ref().is_some_and(|l| l.as_bytes() >= k.as_bytes()) {
                return Err("text map keys are not strictly ascending");
            }
            let v = self.str()?;
            last = Some(k.clone());
            out.insert(k, v);
        }
        Ok(out)
    }

    fn small(&mut self, max: u64) -> R<u64> {
        let v = self.uv()?;
        if v > max {
            return Err("an enumeration value is out of range");
        }
        Ok(v)
    }

    fn schedule(&mut self) -> R<Schedule> {
        let timezone = self.str()?;
        let always_open = self.flag()?;
        let n = self.count(LIST_MAX)?;
        let mut weekly = Vec::with_capacity(n);
        for _ in 0..n {
            weekly.push(Opening {
                weekday: self.small(255)? as u8,
                opens: self.str()?,
                closes: self.str()?,
            });
        }
        Ok(Schedule {
            timezone,
            always_open,
            weekly,
        })
    }

    pub(crate) fn record(&mut self) -> R<Record> {
        let id = self.str()?;
        let organization = self.text()?;
        let name = self.text()?;
        let description = self.text()?;
        let n = self.count(LIST_MAX)?;
        let mut categories = Vec::with_capacity(n);
        for _ in 0..n {
            categories.push(Category::ALL[self.small(Category::ALL.len() as u64 - 1)? as usize]);
        }
        let languages = self.strs()?;
        let n = self.count(LIST_MAX)?;
        let mut locations = Vec::with_capacity(n);
        for _ in 0..n {
            locations.push(Location {
                name: self.text()?,
                address: self.opt_str()?,
                country: self.str()?,
                region: self.opt_str()?,
                latitude: self.opt_f64()?,
                longitude: self.opt_f64()?,
            });
        }
        let n = self.count(LIST_MAX)?;
        let mut phones = Vec::with_capacity(n);
        for _ in 0..n {
            let number = self.str()?;
            let country = self.str()?;
            let kind = match self.small(3)? {
                0 => PhoneKind::Voice,
                1 => PhoneKind::Sms,
                2 => PhoneKind::Tty,
                _ => PhoneKind::Whatsapp,
            };
            let keyword = self.opt_str()?;
            let hours = if self.flag()? {
                Some(self.schedule()?)
            } else {
                None
            };
            let languages = self.strs()?;
            let description = self.text()?;
            let cost = (self.small(1)? == 1).then_some(PhoneCost::Premium);
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
        let websites = self.strs()?;
        let emails = self.strs()?;
        let schedule = if self.flag()? {
            Some(self.schedule()?)
        } else {
            None
        };
        let eligibility = self.text()?;
        let free = self.flag()?;
        let fees = Fees {
            free,
            description: self.text()?,
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
            accessibility: self.text()?,
            last_verified: self.str()?,
            source: self.str()?,
        })
    }
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
    w.uv(p.records.len() as u64);
    for r in &p.records {
        w.record(r);
    }
    w.0
}

/// Canonical bytes of a delta payload.
pub fn encode_delta(p: &DeltaPayload) -> Vec<u8> {
    let mut w = Writer::default();
    w.uv(FORMAT);
    w.uv(p.base_version);
    w.bytes32(&p.base_content_hash);
    write_header(&mut w, &p.header);
    w.uv(p.upserts.len() as u64);
    for r in &p.upserts {
        w.record(r);
    }
    w.strs(&p.tombstones);
    w.0
}

/// Canonical bytes of one record (the dictionary is trained on these).
pub fn encode_record(r: &Record) -> Vec<u8> {
    let mut w = Writer::default();
    w.record(r);
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
    let n = r.count(max_records)?;
    let mut records = Vec::with_capacity(n);
    for _ in 0..n {
        records.push(r.record()?);
    }
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
    let n = r.count(max_records)?;
    let mut upserts = Vec::with_capacity(n);
    for _ in 0..n {
        upserts.push(r.record()?);
    }
    let n = r.count(max_records)?;
    let mut tombstones = Vec::with_capacity(n);
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
