//! A follower FE (`follower_fes` / `--follower-fes N`). StarRocks serves Stream Load and the
//! transaction interface on the leader FE only: a follower authenticates the request and
//! redirects it with a 307 to the leader, path and query unchanged (`redirectToMaster`), on the
//! head alone, so a load takes two hops: follower FE, leader FE, BE. `/api/health` and
//! `/api/bootstrap` are answered by the follower itself; unknown paths get the FE's 404.

use std::net::SocketAddr;
use std::sync::Arc;

use super::{authenticate, bootstrap, health, not_found, route, Route};
use crate::http::conn::{Conn, HeadRead};
use crate::http::request::{BodyFraming, RequestHead};
use crate::http::response::Response;
use crate::state::{RequestRecord, Shared};

fn answer(shared: &Shared, leader: SocketAddr, head: &RequestHead, peer_ip: &str) -> Response {
    let segments = head.path_segments();
    match route(&head.method, &segments) {
        Route::Health => health(shared),
        Route::Bootstrap => bootstrap(),
        Route::NotFound => not_found(),
        Route::StreamLoad { .. }
        | Route::LoadState { .. }
        | Route::Cancel { .. }
        | Route::Transaction { .. } => {
            if let Err(response) = authenticate(shared, head, peer_ip) {
                return response;
            }
            let scheme = shared.scheme();
            let location = match &head.query {
                Some(q) => format!("{scheme}://{leader}{}?{q}", head.path),
                None => format!("{scheme}://{leader}{}", head.path),
            };
            Response::new(307).header("Location", &location)
        }
    }
}

/// Serves one connection of a follower FE whose leader is `leader`.
pub async fn serve_connection(shared: Arc<Shared>, leader: SocketAddr, mut conn: Conn) {
    loop {
        let head = match conn.read_head().await {
            HeadRead::Head(h) => h,
            HeadRead::Closed => return,
            HeadRead::Bad(e) => return conn.reject_bad_head(e).await,
        };
        let peer_ip = conn.peer().ip().to_string();
        let response = answer(&shared, leader, &head, &peer_ip);
        let label = head
            .non_empty_header("label")
            .map(str::to_string)
            .or_else(|| head.query_param("label"));
        shared.record_request(RequestRecord::of(
            "fe-follower",
            &head,
            label,
            response.status,
            None,
            0,
        ));
        // Like the leader, a follower never reads request bodies: a request with one (or a
        // redirect) ends the connection.
        let has_body = !matches!(head.framing(), Ok(BodyFraming::Length(0)));
        let close = has_body || response.status == 307 || !head.wants_keep_alive();
        let written = conn
            .respond(&response, close, head.method == "HEAD")
            .await
            .is_ok();
        if !written || close {
            if written {
                conn.finish().await;
            }
            return;
        }
    }
}
