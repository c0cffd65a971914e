//! What the widget and the reference proxy agree on about the OMS API (the crate
//! `oms-progress-api`): the path, the actions the card asks, the fields it reads, how large an
//! answer may be and what a task id looks like.

pub use oms_progress_api::{API_PATH, Action, FORBIDDEN_PROJECT_CODE, MAX_ANSWER_BYTES, MAX_ID_LEN, UNAUTHENTICATED_CODE, fields, is_valid_id, proxy_base};
