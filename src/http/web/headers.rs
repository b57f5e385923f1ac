//! The headers of the web agenda's answers: conditional GET (ETag,
//! Last-Modified, 304), caching, and who may frame a page.

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::Rendered;

/// The page, or 304 when the client's copy is this one.
pub(super) fn respond(request: &HeaderMap, page: Rendered) -> Response {
    let etag = format!("\"{:016x}\"", fnv1a(page.body.as_bytes()));
    let last_modified = http_date(page.last_modified);
    let fresh = match request.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        // If-None-Match decides when present (RFC 9110 §13.2.2).
        Some(tags) => tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag),
        None => request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| DateTime::parse_from_rfc2822(v).ok())
            .is_some_and(|since| page.last_modified.timestamp() <= since.timestamp()),
    };
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = page.body.into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(page.content_type));
        response
    };
    let headers = response.headers_mut();
    for (name, value) in [(header::ETAG, etag), (header::LAST_MODIFIED, last_modified)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    // Kept, but checked on each use: an unpublished agenda disappears at once.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
    if page.frameable {
        allow_framing(headers);
    } else {
        deny_framing(headers);
    }
    response
}

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'";

pub(super) fn deny_framing(headers: &mut HeaderMap) {
    let csp = format!("{CSP}; frame-ancestors 'none'");
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("frame-ancestors 'none'")),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

fn allow_framing(headers: &mut HeaderMap) {
    let csp = format!("{CSP}; frame-ancestors *");
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("frame-ancestors *")),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// `Tue, 01 Dec 2026 18:30:00 GMT`.
fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// FNV-1a, 64 bits: a stable fingerprint of a body for its ETag.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
