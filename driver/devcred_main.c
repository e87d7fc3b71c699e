// SPDX-License-Identifier: GPL-2.0
/*
 * devcred: a store for a device's TLS credentials on a dedicated flash
 * partition.
 *
 * The store binds to one MTD partition, either from the device tree (a
 * partition node with compatible "devcred,credential-store") or, on boards
 * without one, from the "mtd" module parameter naming the MTD device
 * (devcred.mtd= on the kernel command line when built in). It is reached
 * through the misc device /dev/devcred (mode 0600); see
 * include/uapi/linux/devcred.h for the ioctls.
 *
 * Built in, the driver initialises before the flash driver has registered
 * the partition (drivers/misc links before drivers/mtd, and the flash driver
 * may be a module): the platform driver's probe defers until the partition
 * exists, and with "mtd" the MTD notifier binds the device when it appears.
 *
 * Lifetime: the attachment and every open file hold a reference on the
 * store. Detaching (module removal, driver unbind) or the removal of the
 * partition (MTD user notifier) drops the MTD reference and leaves open
 * files with a store whose ioctls fail with ENODEV.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/mtd/mtd.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "devcred.h"
#include "fault.h"

static char *mtd_name;
module_param_named(mtd, mtd_name, charp, 0444);
MODULE_PARM_DESC(mtd, "MTD device (name or number) to bind to, for boards without a device tree partition");

/*
 * Factory mode may be switched at run time (the production line turns it
 * on and off without reloading the module): every store operation reads
 * it once with READ_ONCE(), and every switch is logged, as it lifts the
 * protection of the factory certificate and of a damaged store.
 */
static bool devcred_factory_mode;

bool devcred_in_factory_mode(void)
{
	return READ_ONCE(devcred_factory_mode);
}

static int devcred_factory_mode_set(const char *val, const struct kernel_param *kp)
{
	static const char lifted[] =
		": the factory certificate may be replaced and a damaged store written";
	bool was = READ_ONCE(devcred_factory_mode), on;
	int ret = kstrtobool(val, &on);

	if (ret)
		return ret;
	WRITE_ONCE(devcred_factory_mode, on);
	pr_notice("factory mode %s (was %s)%s\n", on ? "on" : "off", was ? "on" : "off",
		  on ? lifted : "");
	return 0;
}

static const struct kernel_param_ops devcred_factory_mode_ops = {
	.set = devcred_factory_mode_set,
	.get = param_get_bool,
};

module_param_cb(factory_mode, &devcred_factory_mode_ops, &devcred_factory_mode, 0644);
MODULE_PARM_DESC(factory_mode, "Allow replacing a factory builtin certificate (default: no)");

unsigned int devcred_app_blob_max = 64 * 1024;
module_param_named(app_blob_max, devcred_app_blob_max, uint, 0444);
MODULE_PARM_DESC(app_blob_max, "Largest application slot blob in bytes (default 65536)");

unsigned int devcred_app_store_max = 256 * 1024;
module_param_named(app_store_max, devcred_app_store_max, uint, 0444);
MODULE_PARM_DESC(app_store_max, "Bytes all application slot blobs may take together (default 262144)");

bool devcred_require_sealing;
module_param_named(require_sealing, devcred_require_sealing, bool, 0444);
MODULE_PARM_DESC(require_sealing,
		 "Refuse writing a private key to flash unless a key-encryption key is loaded (default: no)");

/* Kernel memory for application slots stays bounded whatever is asked. */
#define DEVCRED_APP_STORE_LIMIT	(16U << 20)

/*
 * There is a single /dev/devcred, so at most one store: the first partition
 * to bind wins and later ones are refused. Protects devcred_store. Taken
 * inside mtd_table_mutex (MTD notifier) and outside devcred.lock.
 */
static DEFINE_MUTEX(devcred_store_lock);
static struct devcred *devcred_store;

static void devcred_release(struct kref *ref)
{
	struct devcred *dc = container_of(ref, struct devcred, ref);

	devcred_store_free(dc);
	mutex_destroy(&dc->lock);
	kfree(dc);
}

static int devcred_open(struct inode *inode, struct file *file)
{
	struct devcred *dc = container_of(file->private_data, struct devcred, misc);

	kref_get(&dc->ref);
	file->private_data = dc;
	return 0;
}

static int devcred_file_release(struct inode *inode, struct file *file)
{
	struct devcred *dc = file->private_data;

	kref_put(&dc->ref, devcred_release);
	return 0;
}

static const struct file_operations devcred_fops = {
	.owner = THIS_MODULE,
	.open = devcred_open,
	.release = devcred_file_release,
	.unlocked_ioctl = devcred_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

/* The log needs two blocks, each able to hold the largest record. */
static int devcred_check_geometry(struct mtd_info *mtd)
{
	u32 align = max_t(u32, mtd->writesize, 8);
	u32 blocks;

	/*
	 * Blocks are found by offset / erasesize: a chip with erase regions
	 * of several sizes (some CFI NOR boot sectors) does not fit that.
	 */
	if (mtd->numeraseregions) {
		pr_err("%s: %d erase regions of differing block sizes; use a partition whose erase blocks are all the same size\n",
		       mtd->name, mtd->numeraseregions);
		return -EINVAL;
	}
	blocks = mtd_div_by_eb(mtd->size, mtd);
	if (mtd->erasesize < ALIGN(DEVCRED_REC_MAX, align)) {
		pr_err("%s: erase blocks of %u bytes cannot hold a record of up to %zu bytes; use a partition with erase blocks of 64 KiB or more\n",
		       mtd->name, mtd->erasesize, DEVCRED_REC_MAX);
		return -EINVAL;
	}
	if (blocks < 2) {
		pr_err("%s: %u erase block(s); the store needs at least 2 (4 recommended)\n",
		       mtd->name, blocks);
		return -EINVAL;
	}
	return 0;
}

static struct devcred *devcred_alloc(struct mtd_info *mtd, struct device *parent)
{
	struct devcred *dc = kzalloc(sizeof(*dc), GFP_KERNEL);

	if (!dc)
		return NULL;
	mutex_init(&dc->lock);
	kref_init(&dc->ref);
	dc->mtd = mtd;
	dc->readonly = !(mtd->flags & MTD_WRITEABLE);
	/* The partition's node, however the store was bound (mtd= too). */
	dc->seal.required = devcred_require_sealing ||
			    of_property_read_bool(mtd_get_of_node(mtd), "devcred,require-sealing");
	dc->mtd_index = mtd->index;
	dc->erase_size = mtd->erasesize;
	dc->write_size = mtd->writesize;
	dc->part_size = mtd->size;
	dc->misc.minor = MISC_DYNAMIC_MINOR;
	dc->misc.name = "devcred";
	dc->misc.fops = &devcred_fops;
	dc->misc.mode = 0600;
	dc->misc.parent = parent;
	return dc;
}

/* Takes over the reference on @mtd, also when it fails. */
static int devcred_attach(struct mtd_info *mtd, struct device *parent)
{
	struct devcred *dc = NULL;
	int ret;

	mutex_lock(&devcred_store_lock);
	if (devcred_store) {
		pr_err("%s: already bound to mtd%u; one store per system\n",
		       mtd->name, devcred_store->mtd_index);
		ret = -EBUSY;
		goto err;
	}
	ret = devcred_check_geometry(mtd);
	if (ret)
		goto err;
	dc = devcred_alloc(mtd, parent);
	if (!dc) {
		ret = -ENOMEM;
		goto err;
	}

	pr_info("bound to mtd%d \"%s\": size %llu, erase size %u, write size %u%s\n",
		mtd->index, mtd->name, (unsigned long long)mtd->size, mtd->erasesize,
		mtd->writesize, dc->readonly ? ", read-only" : "");
	ret = devcred_store_load(dc);
	if (ret) {
		pr_err("%s: cannot read the store (%d)\n", mtd->name, ret);
		goto err;
	}
	ret = misc_register(&dc->misc);
	if (ret)
		goto err;

	devcred_store = dc;
	mutex_unlock(&devcred_store_lock);
	return 0;

err:
	mutex_unlock(&devcred_store_lock);
	if (dc) {
		dc->mtd = NULL;
		kref_put(&dc->ref, devcred_release);
	}
	put_mtd_device(mtd);
	return ret;
}

static void devcred_detach(void)
{
	struct mtd_info *mtd;
	struct devcred *dc;

	mutex_lock(&devcred_store_lock);
	dc = devcred_store;
	devcred_store = NULL;
	mutex_unlock(&devcred_store_lock);
	if (!dc)
		return;

	misc_deregister(&dc->misc);
	mutex_lock(&dc->lock);
	mtd = dc->mtd;
	dc->mtd = NULL;
	mutex_unlock(&dc->lock);
	if (mtd)
		put_mtd_device(mtd);
	kref_put(&dc->ref, devcred_release);
}

/* The "mtd" parameter: a decimal MTD number, or an MTD name. */
static struct mtd_info *devcred_get_mtd_by_param(const char *param)
{
	unsigned int num;

	if (!kstrtouint(param, 10, &num))
		return get_mtd_device(NULL, num);
	return get_mtd_device_nm(param);
}

static bool devcred_mtd_is_param(const struct mtd_info *mtd, const char *param)
{
	unsigned int num;

	if (!kstrtouint(param, 10, &num))
		return mtd->index >= 0 && (unsigned int)mtd->index == num;
	return mtd->name && !strcmp(mtd->name, param);
}

/*
 * Built in with "mtd", the device may register after devcred_init(): the
 * notifier binds it when it does. A module fails to load instead when the
 * device is missing, so that insmod reports the mistake; it never queues
 * the work below.
 */
static bool devcred_bind_on_add __ro_after_init;

static void devcred_bind_late(struct work_struct *work)
{
	struct mtd_info *mtd = devcred_get_mtd_by_param(mtd_name);

	if (IS_ERR(mtd)) {
		pr_err("mtd=%s: gone before it could be bound (%ld)\n", mtd_name, PTR_ERR(mtd));
		return;
	}
	devcred_attach(mtd, NULL);
}

static DECLARE_WORK(devcred_bind_work, devcred_bind_late);

/*
 * Called with mtd_table_mutex held, for every device present at
 * registration and every one added later; getting the device takes that
 * mutex, so the binding runs from a work item.
 */
static void devcred_mtd_add(struct mtd_info *mtd)
{
	if (devcred_bind_on_add && devcred_mtd_is_param(mtd, mtd_name))
		schedule_work(&devcred_bind_work);
}

/* Called with mtd_table_mutex held, hence __put_mtd_device(). */
static void devcred_mtd_remove(struct mtd_info *mtd)
{
	struct devcred *dc;
	bool ours = false;

	mutex_lock(&devcred_store_lock);
	dc = devcred_store;
	if (dc) {
		mutex_lock(&dc->lock);
		ours = dc->mtd == mtd;
		if (ours)
			dc->mtd = NULL;
		mutex_unlock(&dc->lock);
	}
	mutex_unlock(&devcred_store_lock);

	if (ours) {
		pr_warn("mtd%d \"%s\" was removed: the store is gone until the module is reloaded\n",
			mtd->index, mtd->name);
		__put_mtd_device(mtd);
	}
}

static struct mtd_notifier devcred_mtd_notifier = {
	.add = devcred_mtd_add,
	.remove = devcred_mtd_remove,
};

static int devcred_probe(struct platform_device *pdev)
{
	struct mtd_info *mtd;

	mtd = of_get_mtd_device_by_node(pdev->dev.of_node);
	if (IS_ERR(mtd))
		return dev_err_probe(&pdev->dev, PTR_ERR(mtd),
				     "no MTD partition for %pOF\n", pdev->dev.of_node);

	return devcred_attach(mtd, &pdev->dev);
}

static void devcred_remove(struct platform_device *pdev)
{
	devcred_detach();
}

static const struct of_device_id devcred_of_match[] = {
	{ .compatible = "devcred,credential-store" },
	{ }
};
MODULE_DEVICE_TABLE(of, devcred_of_match);

static struct platform_driver devcred_driver = {
	.probe = devcred_probe,
	DEVCRED_PLATFORM_REMOVE(devcred_remove),
	.driver = {
		.name = "devcred",
		.of_match_table = devcred_of_match,
	},
};

static int devcred_check_params(void)
{
	if (!devcred_app_blob_max || devcred_app_blob_max > devcred_app_store_max ||
	    devcred_app_store_max > DEVCRED_APP_STORE_LIMIT) {
		pr_err("app_blob_max=%u app_store_max=%u: need 0 < app_blob_max <= app_store_max <= %u\n",
		       devcred_app_blob_max, devcred_app_store_max, DEVCRED_APP_STORE_LIMIT);
		return -EINVAL;
	}
	return 0;
}

/*
 * With the "mtd" parameter the store binds to that device and the device
 * tree binding stays unused; without it, the platform driver binds to the
 * device tree partition.
 */
static int __init devcred_init(void)
{
	struct mtd_info *mtd;
	int ret;

	ret = devcred_check_params();
	if (ret)
		return ret;
	devcred_fault_init();
	/*
	 * Set before the notifier is called for the devices already there.
	 * Out of tree CONFIG_DEVCRED is no Kconfig symbol: a module.
	 */
	devcred_bind_on_add = IS_BUILTIN(CONFIG_DEVCRED) && mtd_name;
	register_mtd_user(&devcred_mtd_notifier);

	if (!mtd_name) {
		ret = platform_driver_register(&devcred_driver);
		if (ret)
			goto err;
		return 0;
	}
	if (devcred_bind_on_add) {
		pr_info("mtd=%s: binding that MTD device once it is registered\n", mtd_name);
		return 0;
	}

	mtd = devcred_get_mtd_by_param(mtd_name);
	if (IS_ERR(mtd)) {
		pr_err("mtd=%s: no such MTD device (%ld)\n", mtd_name, PTR_ERR(mtd));
		ret = PTR_ERR(mtd);
		goto err;
	}
	ret = devcred_attach(mtd, NULL);
	if (ret)
		goto err;
	return 0;

err:
	unregister_mtd_user(&devcred_mtd_notifier);
	devcred_fault_exit();
	return ret;
}
module_init(devcred_init);

static void __exit devcred_exit(void)
{
	if (!mtd_name)
		platform_driver_unregister(&devcred_driver);
	devcred_detach();
	unregister_mtd_user(&devcred_mtd_notifier);
	devcred_fault_exit();
}
module_exit(devcred_exit);

MODULE_DESCRIPTION("Flash-backed store for a device's TLS credentials");
MODULE_LICENSE("GPL");
