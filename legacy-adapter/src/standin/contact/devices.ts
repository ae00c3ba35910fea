/**
 * Finds or creates the contact's `lead_devices` row for the current
 * User-Agent (DeviceTracker::createDeviceFromUserAgent, docs/mautic/public-http.md
 * §2.1): the device the request named is kept when it belongs to the contact
 * and looks the same; otherwise the contact's row for (device, brand, model)
 * is used, or a new one with a fresh 23-character tracking id.
 */
import { generateDeviceTrackingId } from '../../codecs/ids.ts';
import { insertLeadDevice, listLeadDevices, setDeviceTrackingId } from '../../data/contacts.ts';
import type { LeadDevice } from '../../data/contacts.ts';
import { toUtcDateTime } from '../../data/row-codec.ts';
import { isDbError } from '../../db/errors.ts';
import type { Db } from '../../db/types.ts';
import { parseUserAgent } from '../../codecs/user-agent.ts';
import type { DeviceInfo } from '../../codecs/user-agent.ts';

/** The device tracked for this request. */
export interface TrackedDevice {
  id: number;
  trackingId: string;
  /** True when the row was created by this request. */
  isNew: boolean;
}

const sameDevice = (d: LeadDevice, info: DeviceInfo): boolean =>
  d.device === info.device && d.device_brand === info.deviceBrand && d.device_model === info.deviceModel;

/** Tracking ids are unique; a collision of 23 random base-36 characters is retried, not reported. */
async function withFreshTrackingId<T>(write: (trackingId: string) => Promise<T>): Promise<[T, string]> {
  for (let attempt = 0; ; attempt += 1) {
    const trackingId = generateDeviceTrackingId();
    try {
      return [await write(trackingId), trackingId];
    } catch (err) {
      if (attempt >= 3 || !isDbError(err, 'DB_DUPLICATE_KEY')) throw err;
    }
  }
}

/**
 * Tracks the device of `leadId` for `userAgent`.
 *
 * @param requestDevice the device named by the `mautic_device_id` cookie/parameter, if any.
 */
export async function trackDevice(db: Db, leadId: number, userAgent: string, requestDevice: LeadDevice | null, now: Date): Promise<TrackedDevice> {
  const info = parseUserAgent(userAgent);
  const existing = requestDevice && requestDevice.lead_id === leadId && sameDevice(requestDevice, info)
    ? requestDevice
    : (await listLeadDevices(db, leadId)).find((d) => sameDevice(d, info));
  if (existing) {
    if (existing.tracking_id) return { id: existing.id, trackingId: existing.tracking_id, isNew: false };
    const [, trackingId] = await withFreshTrackingId((id) => setDeviceTrackingId(db, existing.id, id));
    return { id: existing.id, trackingId, isNew: false };
  }
  const [id, trackingId] = await withFreshTrackingId((tid) => insertLeadDevice(db, {
    lead_id: leadId,
    date_added: toUtcDateTime(now),
    client_info: info.clientInfo,
    device: info.device,
    device_brand: info.deviceBrand,
    device_model: info.deviceModel,
    device_os_name: info.deviceOsName,
    device_os_shortname: info.deviceOsShortName,
    device_os_version: info.deviceOsVersion,
    device_os_platform: info.deviceOsPlatform,
    tracking_id: tid,
  }));
  return { id, trackingId, isNew: true };
}
