// The strict-CSP test page's script (an external file: the policy allows no inline script).
import init from "/pkg/oms_progress_card.js";

window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));
await init();
