// The dashboard of issue #6: server-rendered pages (overview, unit, failure analysis) with SVG
// charts and no script, operators' logins, and the analytics and import APIs.
export { Access, type Reader } from './access.js';
export { barChart, dailyColumns, lineChart, type Bar, type LineChartOptions, type TimePoint } from './charts.js';
export { escapeHtml, html, SafeHtml, trusted } from './html.js';
export { checkOperator, checkOperatorInput, MIN_PASSWORD_LENGTH, OPERATOR_NAME_PATTERN, OperatorError, operatorExists, setOperator } from './operators.js';
export { registerDashboard, type DashboardOptions } from './register-dashboard.js';
export { newSessionValue, operatorOfSession, SESSION_COOKIE, sessionSecret } from './session.js';
