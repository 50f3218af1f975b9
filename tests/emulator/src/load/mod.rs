//! Loading data on the BE: the node and its shared helpers (`be_node`), the FE checks of a begin
//! (`begin`), request headers and their validation (`params`), the `columns`
//! header (`columns`), the `where` filter (`where_clause`), the load plan (`plan`), one load's
//! data path (`pipeline`), the family-A result body (`result`), fault handling of BE requests
//! (`fault_plan`), the plain Stream Load (`stream_load`) and the BE side of the transaction
//! interface (`txn`).

pub mod be_node;
pub mod begin;
pub mod columns;
pub mod fault_plan;
pub mod params;
pub mod pipeline;
pub mod plan;
pub mod result;
pub mod stream_load;
pub mod txn;
pub mod where_clause;
