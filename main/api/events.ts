/**
 * The core's event bus, typed by the API's whole event map: the generic bus lives low
 * (main/common/event-bus.ts) so the parts below the API emit through it without importing the API.
 */
import { EventBus as Bus } from '../common/event-bus.ts';
import type { ApiEvents } from './contract.ts';

export class EventBus extends Bus<ApiEvents> {}
