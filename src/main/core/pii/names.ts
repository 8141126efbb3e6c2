/**
 * Compact name lists, written for this project (common surnames and given names, from general knowledge of
 * their frequency; no third-party list copied). They are evidence, not a dictionary: the detector combines a
 * hit here with the column name, the value's length and the column's variety.
 */

/** About 300 single-character Chinese surnames, the most frequent first (王 李 张 … cover ~90% of people). */
export const CN_SURNAMES_SINGLE =
  '王李张刘陈杨阎萧禄恽占黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿狄平计索宣晋门云容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊阿乌裘亓修邰赫杭况宿鲜印逯隆茹诸慕危玉银亢嵇哈湛宾戎勾茅利於呼揭干尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由';

/** Two-character surnames (复姓). */
export const CN_SURNAMES_DOUBLE = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '端木', '独孤', '南宫', '西门', '百里', '呼延', '万俟', '澹台', '公冶', '太史', '申屠', '钟离', '闻人', '赫连', '拓跋', '第五', '段干'];

/**
 * Characters that are common in place, organisation and product names but rare in given names: a value like
 * 北京市 or 江苏省 starts with a surname character too, and these tell it apart.
 */
export const CN_NOT_GIVEN_NAME = '省市县区镇乡村街路道巷号楼室州部委局厅院校所会社团队党司厂店场站馆园行业银报台网矿集组处科系办协盟湾岛洲港桥营屯寨坊弄城沟窟监井寺庙坝峡岭滩碑塘的了是在也就而及着过地得这那们个为于到说要会对能可把被让给从将所如但因又并或还只已很最更再此些每各等多少间时么什怎谁哪呢吗吧啊期化料物态献书册废围窗厢漠境响危务刻较刷度面限色亲共争邀旨样持除活汽车机与出外际律题位置钱买肉损观类冲决诸切避故事员辈斑癜治绩注字季首递舍座旁落谨扶统调苦创历托沿颂乳展俭截借意情';

/** In a two-character value, a second character that makes it a place (江西, 云南, 华北) rather than a name. */
export const CN_NOT_GIVEN_OF_TWO = '西南北东苏徽肃京朝夏洲川庆津藏疆口门';

/** Characters typical of transliterated foreign names (克林顿, 叶利钦, 阿拉法特). */
export const CN_TRANSLITERATION =
  '阿埃艾安奥巴拜班邦贝本比彼宾波伯博布查达戴丹道德迪蒂丁杜顿多厄恩法菲费芬弗福富盖冈戈格贡古哈海汉豪赫亨胡霍基吉加贾杰金卡凯坎科克肯库奎拉莱赖兰朗劳勒雷里利莉列林琳隆卢鲁伦罗洛马玛迈麦曼梅蒙米明莫姆穆纳娜奈内尼妮涅纽努诺欧帕佩蓬皮普奇齐乔切钦丘萨塞桑瑟森沙舍圣施什舒斯松苏索塔泰坦汤特提通图托瓦韦维温沃乌西希谢辛休雅亚扬耶伊因英尤约泽扎詹兹佐夫娃娅琼蕾黛薇丝尔底芙莎丽琪恰保胞木潘爱昂鲍毕察登第敦斐丰佛伏甘哥根瓜圭洪怀惠捷康考柯夸昆黎铃留芒密默珀屈让若瑞赛旺威翁锡欣珍芝卓苗热翰滕延久茨妥契柴缅';

/** Common English given names (about 260), lower case. */
export const EN_GIVEN_NAMES = new Set(
  (
    'james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald steven paul andrew joshua ' +
    'kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin ' +
    'samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah ' +
    'jeremy christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe bruce gabriel logan albert ' +
    'willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis harry oliver leo max lucas liam martin hans karl ' +
    'mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly emily donna michelle ' +
    'carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen ' +
    'samantha katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren ' +
    'christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn janice jean abigail ' +
    'alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte marie kayla alexis lori ' +
    'sophie julia claire lucy chloe ella mia ava lily zoe eva nina lena sofia laura marta ewa anne monika petra jana lea elena irina olga tatiana ' +
    'mohammed ahmed ali omar fatima aisha yusuf hassan ibrahim wei li ming hiroshi yuki kenji akira pierre jean luc marc michel francois giovanni ' +
    'marco luca alessandro antonio francesco pedro carlos miguel luis jorge manuel javier diego pablo sergio ivan dmitri sergei alexei nikolai'
  ).split(' '),
);

/** Common English surnames (about 200), lower case. */
export const EN_SURNAMES = new Set(
  (
    'smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson ' +
    'martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green ' +
    'adams nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris ' +
    'morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood ' +
    'james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez powell jenkins perry russell sullivan ' +
    'bell coleman butler henderson barnes gonzales fisher vasquez simmons romero jordan patterson alexander hamilton graham reynolds griffin wallace ' +
    'moreno west cole hayes bryant herrera gibson ellis tran medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald ' +
    'woods washington kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson simpson porter hunter gordon mendez silva shaw ' +
    'snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson boyd rose stone salazar fox warren mills meyer rice schmidt garza daniels ' +
    'ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley spencer hawkins arnold pierce hansen peters santos hart bradley knight ' +
    'elliott cunningham duncan armstrong hudson carroll lane riley andrews ray berry perkins hoffman johnston matthews pena richards willis carpenter ' +
    'lawrence sandoval wang zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo lin luo zheng liang song tang han feng deng cao peng zeng xiao ' +
    'mueller muller schneider fischer weber becker schulz hoffmann koch richter klein wolf schroder neumann schwarz zimmermann braun kruger hofmann ' +
    'dubois durand leroy moreau simon laurent lefebvre michel bertrand roux vincent fournier morel girard andre mercier dupont lambert bonnet francois ' +
    'rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti costa giordano mancini rizzo lombardi moretti ' +
    'novak horvath kovac nagy kowalski nowak wisniewski ivanov smirnov petrov sokolov popov jensen nielsen hansen pedersen andersen larsen ' +
    'johansson karlsson nilsson eriksson larsson olsson persson svensson korhonen virtanen nieminen makinen hamalainen'
  ).split(' '),
);

/** Common Japanese family names as written in Chinese (竹下登, 佐藤弘子): a name is one of these and 1–3 more characters. */
export const JP_SURNAMES =
  '佐藤 铃木 高桥 田中 渡边 伊藤 山本 中村 小林 加藤 吉田 山田 佐佐木 山口 松本 井上 木村 清水 山崎 池田 桥本 阿部 石川 石田 石井 山下 中岛 前田 藤田 小川 后藤 冈田 长谷川 村上 近藤 坂本 远藤 青木 藤井 西村 福田 太田 三浦 藤原 冈本 松田 中川 中野 原田 小野 田村 竹内 竹下 大竹 金子 和田 中山 石原 森田 上田 柴田 酒井 宫崎 横山 宫本 内田 高木 安藤 岛田 谷口 大野 高田 丸山 今井 河野 藤本 村田 武田 上野 杉山 增田 平野 千叶 久保 松井 小岛 岩崎 樱井 野口 松尾 野村 木下 菊地 佐野 大西 杉本 新井 菅原 市川 水野 小松 古川 米仓 宇田川 户田 细川 宫泽 小渊 海部 津田 水上 工藤 小泽 中曾根 羽田 桥龙 森山 土井 二阶堂 野田 福冈 北野 黑田 浅野 服部'.split(' ');

/** Syllables of Tibetan personal names (次仁多吉, 边巴扎西): a name is two or more of them. */
export const TIBETAN_NAME_SYLLABLES = '次仁 多吉 扎西 边巴 才旦 格桑 卓玛 央金 达瓦 旺堆 平措 顿珠 洛桑 强巴 尼玛 白玛 索朗 拉巴 普布 次旦 德吉 曲珍 巴桑 米玛 旦增 罗布 群培 益西 丹增 拉姆 措姆 欧珠 旺姆 仁增 桑珠 多布杰 阿旺 晋美 贡布 琼达 土登 坚参 加措'.split(' ');
