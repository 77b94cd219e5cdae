// The store contracts against the in-memory doubles of test/fakes (what the service tests use).
import { historyStoreContract } from './historyStore.contract.js';
import { inventoryStoreContract } from './inventoryStore.contract.js';
import { MemoryPlanStore } from '../fakes/memoryPlanStore.js';
import { planStoreContract } from './planStore.contract.js';
import { policyStoreContract } from './policyStore.contract.js';
import { rolloutStoreContract } from './rolloutStore.contract.js';
import { memoryStores } from './storesUnderTest.js';
import { workQueueContract } from './workQueue.contract.js';

rolloutStoreContract(memoryStores);
inventoryStoreContract(memoryStores);
historyStoreContract(memoryStores);
policyStoreContract(memoryStores);
workQueueContract(memoryStores);
planStoreContract(async () => new MemoryPlanStore());
