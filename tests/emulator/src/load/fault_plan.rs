//! Turns a fired fault action into what a BE request handler does, and when: answer at once
//! (HTTP error, header-phase failure), drop the connection before anything happens, take the BE
//! down, lose the transaction context, or proceed with modifiers (delays, reset after N body
//! bytes, a failure at commit time, a publish delay or timeout, drop after applying).

use std::time::Duration;

use crate::faults::{DelayPoint, FailPoint, Failure, FaultAction};

/// How the publish of this request's commit is disturbed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishFault {
    /// Answer as a publish timeout at once; VISIBLE after this long.
    Timeout(Duration),
    /// COMMITTED this long before VISIBLE (the answer waits as usual).
    Delay(Duration),
}

/// Modifiers of a request that goes ahead.
#[derive(Debug, Clone, Default)]
pub struct Modifiers {
    pub delay_continue: Option<Duration>,
    pub delay_response: Option<Duration>,
    pub drop_after: bool,
    pub reset_after: Option<u64>,
    /// A failure after the body was read (the transaction is aborted).
    pub fail_late: Option<Failure>,
    pub publish: Option<PublishFault>,
    /// FE: take the BE of the 307 down (for this long, or until brought up).
    pub be_down: Option<Option<u64>>,
}

/// What the handler does.
#[derive(Debug, Clone)]
pub enum FaultPlan {
    Proceed(Modifiers),
    HttpError {
        status: u16,
        body: String,
    },
    /// Answer this failure at once (header phase, nothing begun).
    FailNow(Failure),
    DropBefore,
    BeDown {
        for_ms: Option<u64>,
    },
    LoseContext,
}

impl FaultPlan {
    pub fn from_action(action: Option<FaultAction>) -> FaultPlan {
        let mut m = Modifiers::default();
        let Some(action) = action else {
            return FaultPlan::Proceed(m);
        };
        if let Some(failure) = action.failure() {
            return match failure.at {
                FailPoint::Head => FaultPlan::FailNow(failure),
                FailPoint::Commit => {
                    m.fail_late = Some(failure);
                    FaultPlan::Proceed(m)
                }
            };
        }
        match action {
            FaultAction::HttpError { status, body } => {
                return FaultPlan::HttpError { status, body }
            }
            FaultAction::DropBefore => return FaultPlan::DropBefore,
            FaultAction::BeDown { for_ms } => return FaultPlan::BeDown { for_ms },
            FaultAction::LoseContext => return FaultPlan::LoseContext,
            FaultAction::Delay { ms, before } => {
                let d = Some(Duration::from_millis(ms));
                match before {
                    DelayPoint::Continue => m.delay_continue = d,
                    DelayPoint::Response => m.delay_response = d,
                }
            }
            FaultAction::DropAfter => m.drop_after = true,
            FaultAction::ResetMidBody { after_bytes } => m.reset_after = Some(after_bytes),
            FaultAction::PublishTimeout { visible_after_ms } => {
                m.publish = Some(PublishFault::Timeout(Duration::from_millis(
                    visible_after_ms,
                )))
            }
            FaultAction::PublishDelay { ms } => {
                m.publish = Some(PublishFault::Delay(Duration::from_millis(ms)))
            }
            FaultAction::Fail { .. } => {}
        }
        FaultPlan::Proceed(m)
    }
}
