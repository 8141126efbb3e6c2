/**
 * The preload (sandboxed: it may require only `electron`, the rest is bundled): exposes `window.bridge` — invoke,
 * on, getPathForFile, chooseSavePath — and nothing else; names are checked against the contract here and in main.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { contract } from '../../shared/contract/index.js';
import { listNames } from '../../shared/contract/procedure.js';
import { createIpcBridge } from '../transport/ipc.electron.js';

const names = listNames(contract);

contextBridge.exposeInMainWorld(
  'bridge',
  createIpcBridge({
    ipcRenderer,
    getPathForFile: (file) => webUtils.getPathForFile(file as File),
    procedureNames: names.procedures,
    eventNames: names.events,
  }),
);
