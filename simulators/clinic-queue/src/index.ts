export { createClinicQueueSimulator, type ClinicQueueOptions, type ClinicQueueSimulator } from './simulator';
export { signHeaders, computeSignature, verifySignedHeaders, SIGNATURE_WINDOW_SECONDS, type SignedHeaders, type Credentials, type VerifyResult, type VerifyFailure } from './signature';
export { ClinicQueueStore, QueueError, BOOKING_STATUSES, MAX_STATUS_BATCH, MAX_FEED_LIMIT, MAX_DAYS_AHEAD, type Booking, type BookingStatus, type BookingView, type BookingInput } from './store';
export { PUSKESMAS, POLI, PETUGAS, PUSKESMAS_TRENGGALEK, PUSKESMAS_POGALAN, WARGA, type PoliCode, type PuskesmasDefinition, type PoliDefinition } from './data';
