export { createSmsGatewaySimulator, MSISDN, SMS_ROUTES, type ReplyFaults, type SentMessage, type SmsGatewaySimulator, type SmsGatewaySimulatorOptions } from './server.js';
