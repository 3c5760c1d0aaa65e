// Node-RED 4 (the devDependency) on the machine's Node.
import { describeNodeRedEndToEnd } from './scenario';
import { nodeRed4 } from './support';

describeNodeRedEndToEnd('Node-RED 4', nodeRed4);
