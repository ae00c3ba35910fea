/**
 * The contact's `lead_devices` row for the current User-Agent
 * (DeviceTracker::createDeviceFromUserAgent, docs/mautic/public-http.md §2.1): the named
 * device when it is the contact's and looks the same, else the contact's row for the same
 * (device, brand, model), else a new row with a fresh 23-character tracking id.
 */
import { generateDeviceTrackingId } from '../../../legacy-adapter/src/codecs/ids.ts';
import { parseUserAgent } from '../../../legacy-adapter/src/codecs/user-agent.ts';
import type { DeviceInfo } from '../../../legacy-adapter/src/codecs/user-agent.ts';
import { insertLeadDevice, listLeadDevices, setDeviceTrackingId } from '../../../legacy-adapter/src/data/contacts.ts';
import type { LeadDevice } from '../../../legacy-adapter/src/data/contacts.ts';
import { toUtcDateTime } from '../../../legacy-adapter/src/data/row-codec.ts';
import { isDbError } from '../../../legacy-adapter/src/db/errors.ts';
import type { Db } from '../../../legacy-adapter/src/db/types.ts';

/** The device of this request. */
export interface Device {
  id: number;
  trackingId: string;
  /** Created by this request. */
  isNew: boolean;
}

/** Attempts at a unique tracking id before a collision is reported (36^23 makes one unlikely). */
const TRACKING_ID_ATTEMPTS = 4;

const looksAlike = (row: LeadDevice, info: DeviceInfo): boolean =>
  row.device === info.device && row.device_brand === info.deviceBrand && row.device_model === info.deviceModel;

async function withUniqueTrackingId<T>(write: (trackingId: string) => Promise<T>, first?: string): Promise<{ result: T; trackingId: string }> {
  for (let attempt = 1; ; attempt += 1) {
    const trackingId = attempt === 1 && first ? first : generateDeviceTrackingId();
    try {
      return { result: await write(trackingId), trackingId };
    } catch (err) {
      if (attempt >= TRACKING_ID_ATTEMPTS || !isDbError(err, 'DB_DUPLICATE_KEY')) throw err;
    }
  }
}

/** How to find the device. */
export interface DeviceOptions {
  /** The tracking id a new device gets (fast mode gave it to the browser already); a random one when absent or taken. */
  newTrackingId?: string;
  /** The contact was created by this transaction, so it has no devices to look through. */
  leadIsNew?: boolean;
}

/** Finds or creates the device of `leadId` for `userAgent`. */
export async function deviceFor(db: Db, leadId: number, userAgent: string, named: LeadDevice | null, now: Date, options: DeviceOptions = {}): Promise<Device> {
  const { newTrackingId, leadIsNew = false } = options;
  const info = parseUserAgent(userAgent);
  const known = named?.lead_id === leadId && looksAlike(named, info) ? named : leadIsNew ? undefined : (await listLeadDevices(db, leadId)).find((row) => looksAlike(row, info));
  if (known?.tracking_id) return { id: known.id, trackingId: known.tracking_id, isNew: false };
  if (known) {
    const { trackingId } = await withUniqueTrackingId((tid) => setDeviceTrackingId(db, known.id, tid));
    return { id: known.id, trackingId, isNew: false };
  }
  const { result: id, trackingId } = await withUniqueTrackingId((tid) =>
    insertLeadDevice(db, {
      lead_id: leadId, date_added: toUtcDateTime(now), client_info: info.clientInfo, device: info.device,
      device_brand: info.deviceBrand, device_model: info.deviceModel, device_os_name: info.deviceOsName,
      device_os_shortname: info.deviceOsShortName, device_os_version: info.deviceOsVersion,
      device_os_platform: info.deviceOsPlatform, tracking_id: tid,
    }),
    newTrackingId,
  );
  return { id, trackingId, isNew: true };
}
