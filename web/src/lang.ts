/** The portal's interface languages: Indonesian first, English second. */
export type Lang = 'id' | 'en';
