//! Builds the HTTP request of one attempt from validated options.

use std::fmt;

use crate::cursor::Cursor;
use crate::options::{Endpoint, Folder, Platform, Position, ProofSource, RequestOptions, TokenPlacement};
use crate::proof::app_secret_proof;
use crate::redact::Secrets;
use crate::urlencoded;

/// One GET request to Graph. Its `Debug` shows neither the URL nor the header, which may carry
/// the token.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The absolute URL, query included.
    pub url: String,
    /// The `Authorization` header value, when the token goes in a header.
    pub authorization: Option<String>,
    /// The secrets this request carries, to keep out of what is returned.
    pub secrets: Secrets,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("HttpRequest { .. }")
    }
}

/// Builds the request for `options`, starting at `position` (overriding `options.position`
/// when given). `now_unix_seconds` serves the timed proof.
pub fn build_request(options: &RequestOptions, position: Option<&Position>, now_unix_seconds: u64) -> HttpRequest {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(fields) = &options.fields {
        pairs.push(("fields", fields.clone()));
    }
    let (node, edge) = match &options.endpoint {
        Endpoint::Conversations {
            page_id,
            platform,
            folder,
            user_id,
        } => {
            if let Some(platform) = platform {
                pairs.push(("platform", String::from(platform_name(*platform))));
            }
            if let Some(folder) = folder {
                pairs.push(("folder", String::from(folder_name(*folder))));
            }
            if let Some(user_id) = user_id {
                pairs.push(("user_id", user_id.clone()));
            }
            (page_id.as_str(), "conversations")
        }
        Endpoint::Messages { conversation_id, .. } => (conversation_id.as_str(), "messages"),
    };
    if let Some(limit) = options.limit {
        pairs.push(("limit", limit.to_string()));
    }
    match position.or(options.position.as_ref()) {
        Some(Position::After(Cursor::Graph(cursor))) => pairs.push(("after", cursor.clone())),
        Some(Position::Before(Cursor::Graph(cursor))) => pairs.push(("before", cursor.clone())),
        Some(Position::After(Cursor::Link(link)) | Position::Before(Cursor::Link(link))) => {
            // Graph's paging state, except where the options set the parameter themselves.
            let set = pairs.len();
            for (name, value) in link {
                if !pairs.get(..set).unwrap_or_default().iter().any(|(known, _)| known == name) {
                    pairs.push((name.as_str(), value.clone()));
                }
            }
        }
        None => {}
    }
    let token = options.access_token.expose();
    let authorization = match options.token_in {
        TokenPlacement::Query => {
            pairs.push(("access_token", String::from(token)));
            None
        }
        TokenPlacement::Header => Some(format!("Bearer {token}")),
    };
    let mut secrets = vec![token];
    let proof = match &options.proof {
        ProofSource::None => None,
        ProofSource::FromSecret { app_secret, timed } => {
            secrets.push(app_secret.expose());
            let time = timed.then_some(now_unix_seconds);
            Some((app_secret_proof(token, app_secret.expose(), time), time))
        }
        ProofSource::Given { proof, time } => Some((String::from(proof.expose()), *time)),
    };
    if let Some((proof, time)) = &proof {
        pairs.push(("appsecret_proof", proof.clone()));
        if let Some(time) = time {
            pairs.push(("appsecret_time", time.to_string()));
        }
    }
    if let Some((proof, _)) = &proof {
        secrets.push(proof);
    }
    let mut query = String::new();
    for (name, value) in &pairs {
        urlencoded::append_pair(&mut query, name, value);
    }
    let mut url = format!("{}/{}/{node}/{edge}", options.base_url, options.api_version);
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query);
    }
    HttpRequest {
        url,
        authorization,
        secrets: Secrets::new(&secrets),
    }
}

fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Messenger => "messenger",
        Platform::Instagram => "instagram",
    }
}

fn folder_name(folder: Folder) -> &'static str {
    match folder {
        Folder::Inbox => "inbox",
        Folder::Other => "other",
        Folder::PageDone => "page_done",
        Folder::Spam => "spam",
    }
}
