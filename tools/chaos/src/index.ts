export { bootpay, drivers, facade, iamport, portone } from './drivers'
export {
  type ChaosDriver,
  type ChaosFigures,
  type ChaosKeys,
  type ChaosOptions,
  type ChaosOrder,
  formatFigures,
  runChaos,
  type ToldStatus,
} from './engine'
