//! Fault injection (spec §7): rules that match requests on the FE or a BE by operation, table and
//! label, fire on the n-th / every n-th occurrence or with a probability, up to a count, and make
//! the node misbehave in a chosen way (`action`). Rules are set through `POST /control/faults`
//! or `Emulator::add_fault`; this module only decides *whether* and *what*; the nodes carry the
//! action out at the right moment of their request handling. It never changes state itself.

pub mod action;
pub mod registry;
pub mod render;
pub mod rule;

pub use action::{DelayPoint, FailFamily, FailPoint, Failure, FaultAction};
pub use registry::{FaultPoint, FaultRegistry, FaultRuleStatus, NodeKind};
pub use rule::{FaultRule, NodeMatch, Operation};
