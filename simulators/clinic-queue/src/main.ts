import { refuseDevelopmentCredentials, runSimulator } from '@gerbang/simkit';
import { createClinicQueueSimulator } from './simulator';

/**
 * Credentials come from the environment. Outside production a clearly-named development set is
 * used so `npm start` works on a bare machine; production refuses to start without real ones.
 */
function credentials(env: NodeJS.ProcessEnv = process.env) {
  const production = env.NODE_ENV === 'production';
  // The consumer id is no secret, but a `dev-` one in production means the development set.
  refuseDevelopmentCredentials('clinic-queue', { secrets: ['CLINIC_CONS_ID', 'CLINIC_CONS_SECRET', 'CLINIC_USER_KEY'] }, env);
  const read = (name: string, devDefault: string) => {
    const value = env[name];
    if (value) return value;
    if (production) throw new Error(`${name} is required in production`);
    return devDefault;
  };
  return {
    consId: read('CLINIC_CONS_ID', 'dev-cons-3503'),
    consSecret: read('CLINIC_CONS_SECRET', 'dev-clinic-cons-secret-change-me'),
    userKey: read('CLINIC_USER_KEY', 'dev-clinic-user-key'),
  };
}

await runSimulator(createClinicQueueSimulator(credentials()), 4104);
