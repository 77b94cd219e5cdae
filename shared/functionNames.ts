/** Names, schedules and routes the functions use: constants here, so nothing is spelled twice. */
export const RECONCILE_SCHEDULE = '0 */1 * * * *';
export const EVENT_FUNCTION = 'onClusterEvent';
export const ROLLOUT_COMMANDS = ['pause', 'resume', 'cancel', 'retry-failed', 'approve'] as const;
export type RolloutCommandName = (typeof ROLLOUT_COMMANDS)[number];
