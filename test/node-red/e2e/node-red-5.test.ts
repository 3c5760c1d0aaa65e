// Node-RED 5 (pinned, from the runtime cache) on Node 24: Node-RED 5 refuses Node 20.
import { describeNodeRedEndToEnd } from './scenario';
import { ensureNodeRed5 } from './support';

describeNodeRedEndToEnd('Node-RED 5', ensureNodeRed5);
