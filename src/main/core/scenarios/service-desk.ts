/**
 * Customer service: a seeded synthetic stream of Chinese and English customer messages (intent, sentiment,
 * timestamp over 60 days), and the dashboard built from two Model studio text classifiers (intent, sentiment):
 * routing per message (intent → team; urgent when a complaint is negative), the routed share and the accuracy
 * of auto-routed messages at a confidence threshold (below it a message goes to the human queue), the daily
 * share of negative messages, and the terms most associated with negative sentiment.
 */
import type { Dashboard, WhatIf } from '../../../shared/model/scenarios.js';
import { mulberry32 } from '../random.js';
import { tokenize } from '../ml/text.js';

export interface ServiceMessage {
  id: string;
  time: string;
  message: string;
  intent: string;
  sentiment: string;
}

type Pools = Record<string, { zh: string[]; en: string[] }>;

const INTENT_TEXTS: Pools = {
  refund: {
    zh: ['我要申请退款，订单号{order}', '{product}不想要了，怎么退款', '退款什么时候到账？已经等了{days}天', '请帮我把订单{order}退货退款', '退款申请被拒绝了，为什么', '买错了{product}，可以退钱吗'],
    en: ['I want a refund for order {order}', 'How do I return the {product} and get my money back', 'My refund has not arrived after {days} days', 'Please refund order {order}', 'Why was my refund request rejected', 'I ordered the wrong {product}, can I get a refund'],
  },
  delivery: {
    zh: ['我的快递到哪里了？订单{order}', '物流{days}天没有更新了', '{product}什么时候发货', '快递显示已签收但我没收到', '能不能改一下收货地址', '配送太慢了，{product}还没到'],
    en: ['Where is my parcel? Order {order}', 'Tracking has not updated for {days} days', 'When will the {product} ship', 'It says delivered but I never got the package', 'Can I change the delivery address', 'Shipping is so slow, my {product} is still not here'],
  },
  account: {
    zh: ['登录不了账号，密码重置收不到验证码', '怎么修改绑定的手机号', '我的账户被冻结了', '会员积分怎么没有了', '想注销账号', '收不到短信验证码'],
    en: ['I cannot log in, the password reset code never comes', 'How do I change the phone number on my account', 'My account has been locked', 'My membership points disappeared', 'I want to delete my account', 'I do not receive the verification code'],
  },
  complaint: {
    zh: ['客服态度太差了，我要投诉', '{product}质量有问题，用了{days}天就坏了', '你们的服务让人非常失望', '收到的{product}是二手的，要投诉商家', '一直没人处理我的问题，太离谱了', '包装破损，{product}也摔坏了'],
    en: ['Your support agent was rude, I want to complain', 'The {product} broke after {days} days, poor quality', 'I am very disappointed with your service', 'The {product} I received was used, I want to file a complaint', 'Nobody has handled my issue for days, this is ridiculous', 'The box was damaged and the {product} is broken'],
  },
  inquiry: {
    zh: ['{product}有现货吗', '请问{product}支持七天无理由吗', '有没有优惠券可以用', '{product}的尺寸是多少', '你们周末营业吗', '可以开发票吗'],
    en: ['Is the {product} in stock', 'Does the {product} come with a warranty', 'Are there any discount codes', 'What size is the {product}', 'Are you open on weekends', 'Can I get an invoice'],
  },
};

const TONE: Record<string, { zh: string[]; en: string[] }> = {
  positive: { zh: ['谢谢！', '辛苦了，谢谢', '你们服务一直很好', '非常感谢'], en: ['Thanks!', 'Thank you so much', 'great service as always', 'really appreciate it'] },
  negative: { zh: ['太失望了！', '真的很生气', '再也不买了', '差评'], en: ['So frustrating!', 'really angry about this', 'never buying again', 'terrible experience'] },
  neutral: { zh: ['', '请尽快回复', '麻烦了'], en: ['', 'please reply', 'regards'] },
};

/** How likely each sentiment is for each intent (complaints are mostly negative, inquiries mostly neutral). */
const SENTIMENT_MIX: Record<string, [number, number, number]> = {
  refund: [0.15, 0.45, 0.4],
  delivery: [0.1, 0.5, 0.4],
  account: [0.15, 0.35, 0.5],
  complaint: [0.02, 0.88, 0.1],
  inquiry: [0.35, 0.05, 0.6],
};
const INTENT_SHARE: [string, number][] = [['refund', 0.22], ['delivery', 0.28], ['account', 0.15], ['complaint', 0.15], ['inquiry', 0.2]];
const PRODUCTS = { zh: ['耳机', '手机壳', '电饭煲', '运动鞋', '台灯', '充电宝'], en: ['headphones', 'phone case', 'rice cooker', 'sneakers', 'desk lamp', 'power bank'] };
const START = Date.UTC(2025, 2, 1);

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

/** An English typo: one letter dropped or two swapped, as hurried customers type. */
function typo(random: () => number, text: string): string {
  const i = 1 + Math.floor(random() * Math.max(1, text.length - 3));
  return random() < 0.5 ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + (text[i + 1] ?? '') + (text[i] ?? '') + text.slice(i + 2);
}

/**
 * `count` messages over 60 days, half Chinese and half English; templates with slots (order numbers, products,
 * days), a second topic in one message of five, a tone phrase by sentiment, 15 % of English messages with a typo,
 * 5 % / 8 % of intent / sentiment labels at random (annotators disagree), and a delivery incident in days 35–42
 * (twice the delivery messages, more of them negative), so the negative-share trend has something to show.
 */
export function generateServiceSample(seed = 3, count = 1200): ServiceMessage[] {
  const random = mulberry32(seed);
  const out: ServiceMessage[] = [];
  for (let n = 0; n < count; n++) {
    const day = Math.floor(random() * 60);
    const incident = day >= 35 && day <= 42;
    let intent = 'inquiry';
    let r = random() * (incident ? 1.28 : 1);
    if (incident && r >= 1) intent = 'delivery';
    else {
      for (const [name, share] of INTENT_SHARE) {
        r -= share;
        intent = name;
        if (r <= 0) break;
      }
    }
    const mix = SENTIMENT_MIX[intent] as [number, number, number];
    const negBoost = incident && intent === 'delivery' ? 0.3 : 0;
    const s = random();
    const sentiment = s < mix[0] - negBoost / 3 ? 'positive' : s < mix[0] + mix[1] + negBoost ? 'negative' : 'neutral';
    const lang = random() < 0.5 ? 'zh' : 'en';
    let template = pick(random, INTENT_TEXTS[intent]![lang]);
    // One message in five also touches a second topic ("refund me, the parcel never came"); the label stays the first.
    if (random() < 0.2) {
      const other = pick(random, INTENT_SHARE.map(([name]) => name).filter((name) => name !== intent));
      template = `${template}${lang === 'zh' ? '，' : ', '}${pick(random, INTENT_TEXTS[other]![lang])}`;
    }
    let text = template
      .replaceAll('{order}', String(100000 + Math.floor(random() * 900000)))
      .replaceAll('{product}', pick(random, PRODUCTS[lang]))
      .replaceAll('{days}', String(2 + Math.floor(random() * 12)));
    const tone = pick(random, TONE[sentiment]![lang]);
    if (tone !== '') text = lang === 'zh' ? `${text}，${tone}` : `${text}. ${tone}`;
    if (lang === 'en' && random() < 0.15) text = typo(random, text);
    const at = START + (day + random()) * 86_400_000;
    // Annotators disagree: 5 % of intents and 8 % of sentiments are labelled at random.
    if (random() < 0.05) intent = pick(random, INTENT_SHARE.map(([name]) => name));
    const labelledSentiment = random() < 0.08 ? pick(random, ['positive', 'negative', 'neutral']) : sentiment;
    out.push({ id: '', time: new Date(Math.floor(at / 60000) * 60000).toISOString().slice(0, 16).replace('T', ' '), message: text, intent, sentiment: labelledSentiment });
  }
  out.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  out.forEach((m, i) => (m.id = `M${String(i + 1).padStart(5, '0')}`));
  return out;
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function serviceTablesCsv(messages: readonly ServiceMessage[]): Record<'messages', string> {
  return { messages: ['id,time,message,intent,sentiment', ...messages.map((m) => [m.id, m.time, m.message, m.intent, m.sentiment].map(csvCell).join(','))].join('\n') + '\n' };
}

/** The team each intent goes to; a user's own intents go to a team named after them. */
export function teamOf(intent: string): string {
  const key = intent.toLowerCase();
  if (/refund|退款|退货/.test(key)) return 'billing';
  if (/deliver|shipping|物流|快递|配送/.test(key)) return 'logistics';
  if (/account|账户|账号/.test(key)) return 'accounts';
  if (/complain|投诉/.test(key)) return 'customerRelations';
  if (/inquir|question|咨询/.test(key)) return 'sales';
  return intent;
}

export const isNegative = (sentiment: string): boolean => /neg|负|差/i.test(sentiment);
export const isComplaint = (intent: string): boolean => /complain|投诉/i.test(intent);

/**
 * Routing at a confidence threshold: messages whose intent confidence is below it go to the human queue.
 * Routed share = auto-routed / all; accuracy = correct intents among the auto-routed (null when none is).
 */
export function routingAt(confidence: readonly number[], correct: readonly boolean[], threshold: number): { routed: number; routedShare: number | null; accuracy: number | null } {
  let routed = 0;
  let right = 0;
  for (let i = 0; i < confidence.length; i++) {
    if ((confidence[i] as number) < threshold) continue;
    routed++;
    if (correct[i]) right++;
  }
  return { routed, routedShare: confidence.length > 0 ? routed / confidence.length : null, accuracy: routed > 0 ? right / routed : null };
}

/**
 * Terms most associated with negative messages: the log-odds ratio of a term in negative vs other messages with
 * add-one smoothing (document frequencies, each term counted once per message), among terms in ≥ `minCount` messages.
 */
/**
 * Words that say nothing about what a complaint is about: English function words and Chinese particles, pronouns
 * and degree adverbs. Left out of the complaint terms only (the intent and sentiment models see every word).
 */
const FILLER_WORDS = new Set(
  (
    'a about again all am an and any are as at be been but by can could did do does for from get got had has have how i if in into is it its ' +
    'just me more my no not now of on once only or our out please so some still than that the their them then there these they this to ' +
    'really too up us very was we were what when which who why will with would you your ' +
    '的 了 是 我 我的 我们 你 你们 他 她 它 这 那 这个 那个 个 在 有 和 与 也 都 还 就 又 很 太 真的 吗 呢 吧 啊 呀 哦 请 给 把 被 让 一下 什么 怎么 一个'
  ).split(' '),
);

export function complaintTerms(messages: readonly string[], negative: readonly boolean[], top = 15, minCount = 8): { term: string; count: number; logOdds: number }[] {
  const neg = new Map<string, number>();
  const other = new Map<string, number>();
  let nNeg = 0;
  let nOther = 0;
  messages.forEach((m, i) => {
    const terms = new Set(tokenize(m, 'zh', { ngram: [1, 1] }).filter((t) => (t.length > 1 || /\p{Script=Han}/u.test(t)) && !FILLER_WORDS.has(t)));
    const into = negative[i] ? neg : other;
    if (negative[i]) nNeg++;
    else nOther++;
    for (const t of terms) into.set(t, (into.get(t) ?? 0) + 1);
  });
  const out: { term: string; count: number; logOdds: number }[] = [];
  for (const [term, a] of neg) {
    const b = other.get(term) ?? 0;
    if (a + b < minCount) continue;
    const logOdds = Math.log((a + 1) / (nNeg - a + 1)) - Math.log((b + 1) / (nOther - b + 1));
    out.push({ term, count: a, logOdds });
  }
  return out.sort((x, y) => y.logOdds - x.logOdds || x.term.localeCompare(y.term)).slice(0, top);
}

export interface ServiceBase {
  /** Held-out messages of the intent model (its Model studio test split). */
  heldOut: { id: string[]; message: string[]; intent: string[]; predicted: string[]; confidence: number[]; sentiment: string[] };
  /** Every message: day (YYYY-MM-DD), labelled and predicted sentiment (for the trend). */
  daily: { day: string; negative: number; predictedNegative: number; total: number }[];
  terms: { term: string; count: number; logOdds: number }[];
  intentAccuracy: number | null;
  sentimentAccuracy: number | null;
  intentMacroF1: number | null;
}

export const SERVICE_WHAT_IF = { confidence: 0.5 } as const;
const r3 = (v: number | null) => (v === null || !Number.isFinite(v) ? null : Math.round(v * 1000) / 1000);

export function serviceDashboard(base: ServiceBase, whatIf: WhatIf): Dashboard {
  const settings = { ...SERVICE_WHAT_IF, ...whatIf };
  const h = base.heldOut;
  const correct = h.predicted.map((p, i) => p === h.intent[i]);
  const at = routingAt(h.confidence, correct, settings.confidence);
  const grid = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100);
  const curve = grid.map((t) => routingAt(h.confidence, correct, t));
  const urgent = h.predicted.filter((p, i) => isComplaint(p) && isNegative(h.sentiment[i] as string)).length;
  const intents = [...new Set([...h.intent, ...h.predicted])].sort();
  const totalNegative = base.daily.reduce((s, d) => s + d.negative, 0);
  const total = base.daily.reduce((s, d) => s + d.total, 0);
  return {
    kpis: [
      { key: 'routedShare', value: at.routedShare, format: 'percent' },
      { key: 'autoAccuracy', value: at.accuracy, format: 'percent' },
      { key: 'humanQueue', value: h.confidence.length - at.routed, format: 'count' },
      { key: 'intentAccuracy', value: base.intentAccuracy, format: 'percent' },
      { key: 'sentimentAccuracy', value: base.sentimentAccuracy, format: 'percent' },
      { key: 'negativeShare', value: total > 0 ? totalNegative / total : null, format: 'percent' },
      { key: 'urgent', value: urgent, format: 'count' },
    ],
    charts: [
      {
        key: 'negativeTrend',
        kind: 'line',
        x: base.daily.map((d) => d.day),
        series: [
          { name: 'negativeShare', values: base.daily.map((d) => r3(d.total > 0 ? d.negative / d.total : null)) },
          { name: 'predictedNegativeShare', values: base.daily.map((d) => r3(d.total > 0 ? d.predictedNegative / d.total : null)) },
          // Pooled over the trailing 7 days (negatives / messages), so a few messages a day do not make the trend jump.
          {
            name: 'negativeShare7d',
            values: base.daily.map((_, i) => {
              const window = base.daily.slice(Math.max(0, i - 6), i + 1);
              const n = window.reduce((s, d) => s + d.total, 0);
              return r3(n > 0 ? window.reduce((s, d) => s + d.negative, 0) / n : null);
            }),
          },
        ],
      },
      {
        key: 'routingCurve',
        kind: 'line',
        x: grid,
        series: [
          { name: 'routedShare', values: curve.map((c) => r3(c.routedShare)) },
          { name: 'autoAccuracy', values: curve.map((c) => r3(c.accuracy)) },
        ],
        markX: settings.confidence,
      },
      {
        key: 'intentMix',
        kind: 'bar',
        x: intents,
        series: [
          { name: 'actual', values: intents.map((x) => h.intent.filter((v) => v === x).length) },
          { name: 'predicted', values: intents.map((x) => h.predicted.filter((v) => v === x).length) },
        ],
      },
      { key: 'complaintTerms', kind: 'hbar', x: base.terms.map((t) => t.term), series: [{ name: 'logOdds', values: base.terms.map((t) => r3(t.logOdds)) }] },
    ],
    tables: [
      {
        key: 'routing',
        columns: ['messageId', 'message', 'predictedIntent', 'confidence', 'sentiment', 'team', 'urgent'],
        rows: h.message.slice(0, 40).map((m, i) => {
          const auto = (h.confidence[i] as number) >= settings.confidence;
          const isUrgent = isComplaint(h.predicted[i] as string) && isNegative(h.sentiment[i] as string);
          return [h.id[i] as string, m, h.predicted[i] as string, r3(h.confidence[i] as number), h.sentiment[i] as string, auto ? teamOf(h.predicted[i] as string) : 'humanQueue', isUrgent ? 1 : 0];
        }),
      },
      { key: 'terms', columns: ['term', 'negativeMessages', 'logOdds'], rows: base.terms.map((t) => [t.term, t.count, r3(t.logOdds)]) },
    ],
    controls: [{ key: 'confidence', min: 0.2, max: 0.99, step: 0.01, format: 'number' }],
    whatIf: settings,
    notes: [{ key: 'heldOutRows', params: { rows: h.message.length } }, ...(base.intentMacroF1 !== null ? [{ key: 'intentMacroF1', params: { value: r3(base.intentMacroF1) ?? 0 } }] : [])],
  };
}
