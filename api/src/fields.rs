//! The fields of OMS's answers the card reads, written once: the widget's decoders ask for them
//! by these lists (lower case, as [`is_field`](crate::is_field) matches them), and the proxy
//! passes on these and nothing else (the `*_ANSWER` shapes): never OMS's connection info,
//! configuration or mappings.

use crate::Shape::{self, Items, Object};

/// The envelope of every answer.
pub const ENVELOPE: &str = "success,code,message,advice,requestid,cost,errordetail,data";

/// `errorDetail`.
pub const ERROR_DETAIL: &str = "code,level,message,reason,proposal";

/// `data` of `DescribeProjectProgress`.
pub const PROGRESS: &str = "projectid,status,alarmlevel,currentstep,enablestructtransfer,structtransferprogress,enablefulltransfer,\
fulltransferprogress,enableincrsync,incrsynccheckpoint,enablereverseincrtransfer,reverseincrtransfercheckpoint";

/// One step of `DescribeProjectSteps`' `data`.
pub const STEP: &str = "order,name,status,progress,starttime,finishtime,extrainfo,stepinfo";

/// A step's `extraInfo`: its error.
pub const STEP_ERROR: &str = "errorcode,errormsg,failedtime,errordetails";

/// One of `extraInfo.errorDetails`.
pub const STEP_ERROR_DETAIL: &str = "code,message,proposal";

/// A step's `stepInfo`: rows, rates, the incremental checkpoint and when OMS sampled it.
pub const STEP_INFO: &str = "processedrecords,capacity,srcrps,dstrps,dstrpsref,srcrt,dstrt,incrtimestampcheckpoint,checkpointsampletimestamp";

/// `data` of `DescribeProject`: the task's name, its type, whether it verifies, its alarms
/// (never its connection info, mappings or configuration).
pub const PROJECT: &str = "id,name,type,status,enablefullverify,alarmstats";

/// `alarmStats`: whether an alarm fires, what it says, how often it fired lately.
pub const ALARM_STATS: &str = "alarming,alarmcontent,recentlytriggercount";

/// `data` of `ListProjectFullVerifyResult`.
pub const VERIFICATION: &str = "differentnumber,fullverifytablestatistics";

/// One of `fullVerifyTableStatistics`: a table and its rows that differ.
pub const TABLE_STATISTIC: &str = "sourceschemaname,sourcetablename,mismatchedcount,sourceonlycount,destonlycount,consistentcount";

/// `data` of `DescribeProjectStepMetric`.
pub const STEP_METRIC: &str = "metrics";

/// One of its `metrics`: which, and its points.
pub const METRIC: &str = "metrictype,aggregator,datapoints";

/// A point of a metric: when (unix seconds, or milliseconds on some servers) and its value.
pub const METRIC_POINT: &str = "timestamp,value";

/// The envelope of a list: [`ENVELOPE`] and its paging.
pub const LIST_ENVELOPE: &str = "success,code,message,advice,requestid,cost,errordetail,data,totalcount,pagenumber,pagesize";

/// One task of `ListProjects`' `data`: what the list shows of it (never its connection info,
/// mappings or configuration).
pub const LISTED_PROJECT: &str = "id,name,type,status,importance,gmtstart,gmtfinish,ismerging,ismodifying,sourceendpointtype,\
sinkendpointtype,enablestructtransfer,enablefulltransfer,enablefullverify,enableincrtransfer,enablereverseincrtransfer,steps,alarmstats";

/// The envelope ([`ENVELOPE`], or another list of its fields) with `data` of the given shape.
macro_rules! envelope {
    ($data:expr) => {
        envelope!(ENVELOPE, $data)
    };
    ($fields:expr, $data:expr) => {
        Object($fields, &[("errordetail", Object(ERROR_DETAIL, &[])), ("data", $data)])
    };
}

/// A step as the card reads it (`DescribeProjectSteps`, and each task of a list).
const STEP_SHAPE: Shape = Object(
    STEP,
    &[
        ("extrainfo", Object(STEP_ERROR, &[("errordetails", Items(&Object(STEP_ERROR_DETAIL, &[])))])),
        ("stepinfo", Object(STEP_INFO, &[])),
    ],
);

/// What the card reads of a `DescribeProjectProgress` answer.
pub const PROGRESS_ANSWER: Shape = envelope!(Object(PROGRESS, &[]));

/// What the card reads of a `DescribeProjectSteps` answer.
pub const STEPS_ANSWER: Shape = envelope!(Items(&STEP_SHAPE));

/// What the card reads of a `DescribeProject` answer.
pub const PROJECT_ANSWER: Shape = envelope!(Object(PROJECT, &[("alarmstats", Object(ALARM_STATS, &[]))]));

/// What the card reads of a `ListProjectFullVerifyResult` answer.
pub const VERIFICATION_ANSWER: Shape = envelope!(Object(VERIFICATION, &[("fullverifytablestatistics", Items(&Object(TABLE_STATISTIC, &[])))]));

/// What the card reads of a `DescribeProjectStepMetric` answer.
pub const STEP_METRIC_ANSWER: Shape = envelope!(Object(STEP_METRIC, &[("metrics", Items(&Object(METRIC, &[("datapoints", Items(&Object(METRIC_POINT, &[])))])))]));

/// What the list reads of a `ListProjects` answer.
pub const PROJECTS_ANSWER: Shape = envelope!(LIST_ENVELOPE, Items(&Object(LISTED_PROJECT, &[("steps", Items(&STEP_SHAPE)), ("alarmstats", Object(ALARM_STATS, &[]))])));

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field named with a shape of its own is a field of its object's list.
    fn nested_fields_are_listed(shape: &Shape) {
        match shape {
            Object(names, nested) => {
                for (name, inner) in *nested {
                    assert!(names.split(',').any(|n| n == *name), "{name} is not in {names}");
                    nested_fields_are_listed(inner);
                }
            }
            Items(inner) => nested_fields_are_listed(inner),
            Shape::Scalar => {}
        }
    }

    #[test]
    fn shapes_name_only_listed_fields() {
        for shape in [&PROGRESS_ANSWER, &STEPS_ANSWER, &PROJECT_ANSWER, &VERIFICATION_ANSWER, &STEP_METRIC_ANSWER, &PROJECTS_ANSWER] {
            nested_fields_are_listed(shape);
        }
        assert_eq!(PROGRESS_ANSWER.field("RequestId"), Some(Shape::Scalar));
        assert_eq!(PROGRESS_ANSWER.field("sourceConnectInfo"), None);
        assert!(matches!(STEPS_ANSWER.field("data"), Some(Items(_))));
    }
}
