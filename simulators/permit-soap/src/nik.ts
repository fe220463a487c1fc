// The permit system accepts applicants from any region (a researcher from Malang, an advertiser from Surabaya).
export { isPlausibleNik } from '@gerbang/simkit/nik';
