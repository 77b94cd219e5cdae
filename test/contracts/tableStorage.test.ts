// The store contracts against the Table and Queue Storage adapters on the run's Azurite.
import { historyStoreContract } from './historyStore.contract.js';
import { inventoryStoreContract } from './inventoryStore.contract.js';
import { planStoreContract } from './planStore.contract.js';
import { policyStoreContract } from './policyStore.contract.js';
import { newStore } from '../support/storeFixture.js';
import { rolloutStoreContract } from './rolloutStore.contract.js';
import { tableStores } from './storesUnderTest.js';
import { workQueueContract } from './workQueue.contract.js';

rolloutStoreContract(tableStores);
inventoryStoreContract(tableStores);
historyStoreContract(tableStores);
policyStoreContract(tableStores);
workQueueContract(tableStores);
planStoreContract(async () => (await newStore()).plans);
