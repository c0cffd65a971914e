
/** `detail` of the `oms-progress` event: the answer's `data` object, as OMS sent it. */
export interface OmsProgressDetail {
  projectId?: string | null;
  status?: string | null;
  alarmLevel?: string | null;
  currentStep?: string | null;
  enableStructTransfer?: boolean | null;
  structTransferProgress?: number | string | null;
  enableFullTransfer?: boolean | null;
  fullTransferProgress?: number | string | null;
  enableIncrSync?: boolean | null;
  incrSyncCheckpoint?: number | string | null;
  enableReverseIncrTransfer?: boolean | null;
  reverseIncrTransferCheckpoint?: number | string | null;
  [field: string]: unknown;
}

/** `detail` of the `oms-status-change` event: the raw statuses. */
export interface OmsStatusChangeDetail {
  from: string | null;
  to: string | null;
}

/** `detail` of the `oms-error` event. */
export interface OmsErrorDetail {
  /** \`auth\`: the proxy answered 401 or 403, or the page's \`configure()\` headers function failed. */
  kind: "network" | "timeout" | "http" | "decode" | "api" | "auth";
  code: string | null;
  message: string;
  /** The HTTP status, for `http` and `auth` errors. */
  status?: number;
}

/** One step of `DescribeProjectSteps`, as OMS sent it. */
export interface OmsStep {
  order?: number | null;
  name?: string | null;
  description?: string | null;
  status?: string | null;
  progress?: number | null;
  startTime?: string | null;
  finishTime?: string | null;
  extraInfo?: Record<string, unknown> | null;
  stepInfo?: Record<string, unknown> | null;
  [field: string]: unknown;
}

/** `detail` of the `oms-steps` event: the answer's `data` array. */
export type OmsStepsDetail = OmsStep[];

/** `detail` of the `oms-cutover-ready` event. */
export interface OmsCutoverReadyDetail {
  projectId: string;
}

/** One task of `ListProjects`, as the proxy passes it on (never OMS's connection info). */
export interface OmsListedTask {
  id: string;
  name?: string | null;
  type?: string | null;
  status?: string | null;
  importance?: string | null;
  gmtStart?: string | null;
  gmtFinish?: string | null;
  steps?: OmsStep[] | null;
  alarmStats?: { alarming?: boolean | null; alarmContent?: string | null; recentlyTriggerCount?: number | null } | null;
  [field: string]: unknown;
}

/** `detail` of the `oms-list` event, and the list's `tasks`: every page's tasks, in OMS's order. */
export type OmsListDetail = OmsListedTask[];
