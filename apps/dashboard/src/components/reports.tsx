/** The managers' report pages, one file each (issue 17 split the former 865-line file). */
export { RecurringReport } from './report-recurring';
export { ActivityReportPage } from './report-activity';
export { ProblemView } from './report-problem';
export { ProblemStatusBadge, TicketLink } from './report-common';
