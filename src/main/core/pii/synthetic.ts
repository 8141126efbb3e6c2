/**
 * A seeded synthetic Chinese customer table for tests and demos: valid resident ID numbers (GB 11643 check
 * character), mobiles, landlines, licence plates, unified social credit codes (GB 32100), e-mails, bank cards
 * (Luhn), addresses and names. Every value is made up; none belongs to a person.
 */
import { mulberry32 } from '../random.js';
import { cnResidentIdCheckChar, usccCheckChar } from './checks.js';
import { CN_SURNAMES_SINGLE } from './names.js';

export interface SyntheticRow {
  姓名: string;
  身份证号: string;
  手机号: string;
  固定电话: string;
  邮箱: string;
  银行卡号: string;
  车牌号: string;
  统一社会信用代码: string;
  地址: string;
  出生日期: string;
  邮编: string;
  备注: string;
  消费金额: number;
}

const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国志红林海燕鹏宇浩然思雨欣怡子涵梓轩晨阳佳琪嘉';
const PLACES: [string, string, string, string][] = [
  ['北京市', '北京市', '海淀区', '110108'],
  ['上海市', '上海市', '浦东新区', '310115'],
  ['广东省', '广州市', '天河区', '440106'],
  ['浙江省', '杭州市', '西湖区', '330106'],
  ['江苏省', '南京市', '鼓楼区', '320106'],
  ['四川省', '成都市', '武侯区', '510107'],
  ['湖北省', '武汉市', '洪山区', '420111'],
  ['陕西省', '西安市', '雁塔区', '610113'],
];
const PLATE_PROVINCE = '京沪粤浙苏川鄂陕';
const STREETS = ['中关村大街', '人民路', '解放路', '建设路', '中山路', '科技路', '长江路', '文化路'];
const MOBILE_PREFIXES = ['130', '135', '138', '139', '150', '152', '158', '166', '177', '186', '188', '199'];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function luhnComplete(partial: string): string {
  // The check digit that makes `partial + d` pass Luhn.
  for (let d = 0; d <= 9; d++) {
    const s = partial + d;
    let sum = 0;
    for (let i = 0; i < s.length; i++) {
      let x = s.charCodeAt(s.length - 1 - i) - 48;
      if (i % 2 === 1) {
        x *= 2;
        if (x > 9) x -= 9;
      }
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error('unreachable');
}

export function syntheticChineseTable(rows: number, seed = 1): SyntheticRow[] {
  const random = mulberry32(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T,>(items: readonly T[]): T => items[int(items.length)]!;
  const pickChar = (chars: string): string => chars[int(chars.length)]!;
  const digits = (n: number) => Array.from({ length: n }, () => int(10)).join('');
  const out: SyntheticRow[] = [];
  for (let i = 0; i < rows; i++) {
    const [province, city, district, areaCode] = pick(PLACES);
    const year = 1950 + int(55);
    const month = 1 + int(12);
    const day = 1 + int(28);
    const birth = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const id17 = `${areaCode}${birth}${digits(3)}`;
    const name = pickChar(CN_SURNAMES_SINGLE.slice(0, 60)) + pickChar(GIVEN) + (random() < 0.6 ? pickChar(GIVEN) : '');
    const mobile = pick(MOBILE_PREFIXES) + digits(8);
    const uscc17 = `91${areaCode}${Array.from({ length: 9 }, () => pickChar(USCC_CHARS)).join('')}`;
    const plate = `${PLATE_PROVINCE[PLACES.findIndex((p) => p[3] === areaCode)]}${pickChar(PLATE_LETTERS)}${Array.from({ length: 5 }, () => (random() < 0.6 ? String(int(10)) : pickChar(PLATE_LETTERS))).join('')}`;
    const address = `${province === city ? '' : province}${city}${district}${pick(STREETS)}${1 + int(300)}号${1 + int(20)}栋${100 + int(1500)}室`;
    out.push({
      姓名: name,
      身份证号: id17 + cnResidentIdCheckChar(id17),
      手机号: mobile,
      固定电话: `0${['10', '21', '20', '571', '25', '28', '27', '29'][PLACES.findIndex((p) => p[3] === areaCode)]}-${2 + int(8)}${digits(7)}`,
      邮箱: `user${digits(5)}@${pick(['qq.com', '163.com', '126.com', 'example.cn'])}`,
      银行卡号: luhnComplete(`62${digits(15)}`),
      车牌号: plate,
      统一社会信用代码: uscc17 + usccCheckChar(uscc17)!,
      地址: address,
      出生日期: `${year}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
      邮编: `${areaCode.slice(0, 2)}${digits(4)}`,
      备注: random() < 0.5 ? `客户来电咨询退款事宜，请回拨手机${mobile}，或发邮件联系。` : `已于${month}月${day}日完成回访，客户对服务表示满意，无其他诉求。`,
      消费金额: Math.round(random() * 100000) / 100,
    });
  }
  return out;
}
