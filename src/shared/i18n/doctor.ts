/** Texts of the doctor's findings (`xinzhi doctor`, Settings → Doctor), by reason. */
import type { Catalogue } from './types.js';

export const doctorMessages: Catalogue = {
  en: {
    doctor: {
      nodeOk: 'Node.js {{version}}',
      nodeOld: 'Node.js {{version}}: Node.js 20 or newer is required',
      packageFound: '{{package}} {{version}}',
      packageMissing: '{{package}} is not installed: run npm install',
      electronFound: 'Electron {{version}} at {{path}}',
      electronMissing: 'electron is not installed (npm install): the app runs in browser mode',
      electronNotDownloaded: 'Electron {{version}} is installed but its binary was not downloaded (it is fetched on first use and needs a connection; or set ELECTRON_OVERRIDE_DIST_PATH): the app runs in browser mode',
      chromiumFound: '{{path}} (used by the browser tests)',
      chromiumMissing: 'no Chromium found: apt-get install -y chromium (needed only for the end-to-end tests)',
      gpuFound: '{{name}}',
      gpuNone: 'no NVIDIA driver (nvidia-smi not found): training runs on the CPU',
      gpuUnusable: 'nvidia-smi is present but found no usable GPU: training runs on the CPU',
      tfjsGpuMissing: '{{package}} is not installed: its install downloads libtensorflow with CUDA, which needs a connection and an NVIDIA GPU',
      tfjsNodeMissing: '{{package}} is not installed: its install downloads libtensorflow, which needs a connection',
    },
  },
  'zh-CN': {
    doctor: {
      nodeOk: 'Node.js {{version}}',
      nodeOld: 'Node.js {{version}}：需要 Node.js 20 或更高版本',
      packageFound: '{{package}} {{version}}',
      packageMissing: '未安装 {{package}}：请运行 npm install',
      electronFound: 'Electron {{version}}，位于 {{path}}',
      electronMissing: '未安装 electron（npm install）：应用以浏览器模式运行',
      electronNotDownloaded: '已安装 Electron {{version}}，但其可执行文件尚未下载（首次使用时联网下载；或设置 ELECTRON_OVERRIDE_DIST_PATH）：应用以浏览器模式运行',
      chromiumFound: '{{path}}（供浏览器端测试使用）',
      chromiumMissing: '未找到 Chromium：apt-get install -y chromium（仅端到端测试需要）',
      gpuFound: '{{name}}',
      gpuNone: '没有 NVIDIA 驱动（未找到 nvidia-smi）：训练在 CPU 上运行',
      gpuUnusable: '有 nvidia-smi 但未找到可用的 GPU：训练在 CPU 上运行',
      tfjsGpuMissing: '未安装 {{package}}：其安装需联网下载带 CUDA 的 libtensorflow，并需要 NVIDIA GPU',
      tfjsNodeMissing: '未安装 {{package}}：其安装需联网下载 libtensorflow',
    },
  },
};
