// OSS is national: any region's NIK is accepted; whether the person exists is Dukcapil's business.
export { isPlausibleNik } from '@gerbang/simkit/nik';
