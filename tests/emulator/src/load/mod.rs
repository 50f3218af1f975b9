//! Loading data on the BE: request headers and their validation (`params`), the load plan
//! (`plan`), the family-A result body (`result`) and the plain Stream Load pipeline
//! (`stream_load`). The transaction interface (spec §5) will live next to them.

pub mod params;
pub mod plan;
pub mod result;
pub mod stream_load;
